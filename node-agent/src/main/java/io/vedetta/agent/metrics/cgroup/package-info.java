/**
 * Container series read straight from cgroups v1 and v2. May import metrics, config and {@code io.vedetta.pods}.
 */
package io.vedetta.agent.metrics.cgroup;
