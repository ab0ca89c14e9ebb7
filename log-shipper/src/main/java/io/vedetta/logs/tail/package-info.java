/**
 * The first stage: finds the files to tail, reads their lines, and saves each file's position once its lines are
 * acknowledged. May import the record and shared primitives only.
 */
package io.vedetta.logs.tail;
