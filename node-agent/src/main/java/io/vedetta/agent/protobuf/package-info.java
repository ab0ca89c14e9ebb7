/**
 * The protobuf wire format, by hand: the few encodings the exposition protobuf format (scraped), remote_write's
 * {@code WriteRequest} and the write-ahead log's records need, without generated classes. A leaf: it imports nothing
 * of the agent.
 */
package io.vedetta.agent.protobuf;
