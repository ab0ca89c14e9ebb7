/**
 * Waiting and timing primitives shared by the log shipper and the agent: the one jittered exponential
 * {@link io.vedetta.time.Backoff}, and the monotonic {@link io.vedetta.time.Ticker} that timers read and wait on. A
 * leaf: imports no other Vedetta package.
 */
package io.vedetta.time;
