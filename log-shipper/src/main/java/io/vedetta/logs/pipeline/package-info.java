/**
 * The assembly of the log pipeline, from tail to sink, and the acknowledgement chain back. The top: may import every
 * package of the log shipper; none imports it.
 */
package io.vedetta.logs.pipeline;
