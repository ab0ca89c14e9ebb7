/**
 * Node series from {@code /proc}, {@code /sys} and statvfs, under node_exporter's names. May import metrics and config.
 */
package io.vedetta.agent.metrics.node;
