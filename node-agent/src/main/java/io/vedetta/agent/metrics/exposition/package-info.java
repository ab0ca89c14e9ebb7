/**
 * The exposition formats as bytes: a lexer that reports each family and sample of a response as it arrives (the
 * series' name and label set as written, its value and timestamp), label-set decoding, sample values, and a cache
 * keyed by bytes that recognises a series seen in the last response before anything is decoded. No metric model:
 * the kubelet sources build client_java snapshots from the events, the pod scraper writes series for remote_write.
 * May import only the shared primitives ({@code io.vedetta.bytes}).
 */
package io.vedetta.agent.metrics.exposition;
