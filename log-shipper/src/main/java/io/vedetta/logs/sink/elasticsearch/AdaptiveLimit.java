package io.vedetta.logs.sink.elasticsearch;

/**
 * The number of bulk requests allowed in flight, adjusted AIMD-style: halved when Elasticsearch answers 429,
 * raised by one per window of successful requests. A burst of 429s from requests that were all sent under the
 * old limit halves it once, not once per request: each request carries the epoch it was sent in, and only a
 * rejection of a request sent in the current epoch lowers the limit again. Not thread-safe: the sink's one
 * dispatch thread owns it.
 */
final class AdaptiveLimit {

    private final int max;
    private double limit;
    private long epoch;

    AdaptiveLimit(int max) {
        this.max = max;
        this.limit = max;
    }

    int permits() {
        return (int) limit;
    }

    long epoch() {
        return epoch;
    }

    /** A request succeeded: about +1 per {@code limit} successes. */
    void succeeded() {
        limit = Math.min(max, limit + 1.0 / limit);
    }

    /** A request sent in {@code sentEpoch} was rejected with 429. */
    void overloaded(long sentEpoch) {
        if (sentEpoch == epoch) {
            limit = Math.max(1, Math.floor(limit / 2));
            epoch++;
        }
    }
}
