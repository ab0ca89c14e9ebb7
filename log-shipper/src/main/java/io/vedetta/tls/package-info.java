/**
 * TLS client contexts built from PEM files, and the one trust-all context behind the verification opt-outs; used by the
 * Elasticsearch sink and the kubelet client. A leaf: imports no other Vedetta package.
 */
package io.vedetta.tls;
