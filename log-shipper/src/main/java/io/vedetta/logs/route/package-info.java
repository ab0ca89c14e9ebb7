/**
 * Which index or data stream a document goes to, from its routing key. May import record and the shared primitives.
 */
package io.vedetta.logs.route;
