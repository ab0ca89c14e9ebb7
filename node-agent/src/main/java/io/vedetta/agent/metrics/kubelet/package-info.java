/**
 * The kubelet's endpoints as metric sources: the HTTPS client, the Prometheus text parser, the summary mapping. May
 * import metrics, config and the shared primitives ({@code io.vedetta.bytes}).
 */
package io.vedetta.agent.metrics.kubelet;
