/**
 * What the log pipeline and the metric sources know of a pod of this node ({@link io.vedetta.pods.PodInfo}), the lookup
 * the agent's pod cache implements ({@link io.vedetta.pods.PodMetadata}) and what a container log file's name says.
 * A package, not a module: it is a handful of records that node-agent already reaches through log-shipper, and a leaf
 * (imports no other Vedetta package), so metrics and kube use it without touching a log pipeline stage.
 */
package io.vedetta.pods;
