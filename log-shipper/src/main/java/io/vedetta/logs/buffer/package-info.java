/**
 * The bounded memory and disk buffer in front of a sink: a {@link io.vedetta.logs.record.Sink} wrapping a sink, with
 * ordered retries and spill segments. May import the stages below it, record and the shared primitives; not the sinks.
 */
package io.vedetta.logs.buffer;
