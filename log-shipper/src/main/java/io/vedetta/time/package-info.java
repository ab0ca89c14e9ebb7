/**
 * Waiting and timing primitives shared by the log shipper and the agent: the one jittered exponential
 * {@link io.vedetta.time.Backoff}. A leaf: imports no other Vedetta package.
 */
package io.vedetta.time;
