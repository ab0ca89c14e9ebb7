/**
 * What every metric source shares: metric names, the scrape-time collector with per-source timeouts, cardinality
 * filters, error counting. May import config, lifecycle and the shared primitives ({@code io.vedetta.pods}); not its
 * sources below, nor any log pipeline stage.
 */
package io.vedetta.agent.metrics;
