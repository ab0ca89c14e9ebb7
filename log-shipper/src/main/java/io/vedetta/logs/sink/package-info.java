/**
 * The sinks: the file/stdout sink here, Elasticsearch and fluentd forward below. May import route, record and the
 * shared primitives; not the buffer or the pipeline.
 */
package io.vedetta.logs.sink;
