/**
 * Byte-level primitives for text that stays bytes from the file to the request body: eight bytes at a time
 * ({@link io.vedetta.bytes.Words}), UTF-8 checks, JSON bytes and RFC 3339 timestamps. Shared by the log pipeline and the
 * agent's metrics text parser, so it lives outside both. A leaf: imports no other Vedetta package.
 */
package io.vedetta.bytes;
