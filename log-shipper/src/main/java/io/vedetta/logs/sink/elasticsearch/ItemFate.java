package io.vedetta.logs.sink.elasticsearch;

/** What a bulk item's status means for its record. */
enum ItemFate {
    /** Indexed, or 409: a document with this {@code _id} already exists, so an earlier send got it there. */
    DELIVERED,
    /** 429 or 5xx: Elasticsearch could not take it now; send it again after a backoff. */
    RETRY,
    /** Any other 4xx (mapping conflict, bad document): sending it again would fail the same way. */
    DEAD_LETTER;

    static ItemFate of(int status) {
        if (status >= 200 && status < 300 || status == 409) {
            return DELIVERED;
        }
        if (status == 429 || status >= 500) {
            return RETRY;
        }
        return DEAD_LETTER;
    }
}
