/**
 * Scraping like Prometheus: targets from the pod cache's {@code prometheus.io/*} annotations and the agent itself, one
 * loop per target with its series cache, staleness markers, limits and relabelling, appending to the remote_write
 * log. Shares the exposition lexer of the kubelet sources and the relabelling of {@code io.vedetta.agent.relabel}. May
 * import kube (the pod cache), remotewrite, metrics, config and the leaves below them.
 */
package io.vedetta.agent.scrape;
