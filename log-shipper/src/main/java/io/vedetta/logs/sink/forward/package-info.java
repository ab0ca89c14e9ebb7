/**
 * The fluentd forward-protocol sink. May import record and the shared primitives.
 */
package io.vedetta.logs.sink.forward;
