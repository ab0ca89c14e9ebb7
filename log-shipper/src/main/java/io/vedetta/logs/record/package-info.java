/**
 * What flows down the log pipeline and back: the record a sink takes ({@link io.vedetta.logs.record.SinkRecord}, its
 * {@link io.vedetta.logs.record.Document}, {@link io.vedetta.logs.record.RecordId} and
 * {@link io.vedetta.logs.record.RoutingKey}), the {@link io.vedetta.logs.record.Sink} contract that the buffer and
 * every sink implement, and the {@link io.vedetta.logs.record.Acknowledgement} that moves a file's position. May import
 * {@code io.vedetta.bytes} only; every stage may import it.
 */
package io.vedetta.logs.record;
