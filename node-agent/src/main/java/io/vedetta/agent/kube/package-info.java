/**
 * Pod discovery: the node-scoped informer, the pod cache the log shipper and metrics read, and the {@code kube_pod_*}
 * series. May import metrics, config, lifecycle and {@code io.vedetta.pods}; no log pipeline stage.
 */
package io.vedetta.agent.kube;
