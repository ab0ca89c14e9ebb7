/**
 * The Elasticsearch sink: bulk encoding, sending, per-item response handling, dead letters, index bootstrap. May
 * import route, record and the shared primitives.
 */
package io.vedetta.logs.sink.elasticsearch;
