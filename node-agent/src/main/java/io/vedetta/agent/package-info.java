/**
 * The agent process: {@code Main}, the {@link io.vedetta.agent.Agent} assembly that starts the parts in order, and the
 * metric catalogue of every series. The top: may import every package; none imports it.
 */
package io.vedetta.agent;
