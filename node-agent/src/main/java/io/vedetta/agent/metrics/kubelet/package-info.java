/**
 * The kubelet's endpoints as metric sources: the HTTPS client, the text parser that gathers the exposition lexer's
 * events into families and its client_java snapshot builder, the summary mapping. May import metrics, the exposition
 * formats, config and the shared primitives ({@code io.vedetta.bytes}).
 */
package io.vedetta.agent.metrics.kubelet;
