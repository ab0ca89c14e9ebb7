package io.vedetta.logs.sink.elasticsearch;

/** What a bulk item's status means for its record. */
enum ItemFate {
    /** Indexed, or 409: a document with this {@code _id} already exists, so an earlier send got it there. */
    DELIVERED,
    /**
     * 429 or 5xx: Elasticsearch could not take it now; send it again after a backoff. Also an item without a
     * status, or with one no bulk item has (1xx, 3xx): an answer mangled on the way (a proxy, a truncated
     * response) says nothing about the record, and dead-lettering it would lose a record Elasticsearch may take.
     */
    RETRY,
    /** Any other 4xx (mapping conflict, bad document): sending it again would fail the same way. */
    DEAD_LETTER;

    /** What {@link BulkResponseParser} reports for an item that carries no status. */
    static final int NO_STATUS = 0;

    static ItemFate of(int status) {
        if (status >= 200 && status < 300 || status == 409) {
            return DELIVERED;
        }
        if (status >= 400 && status < 500 && status != 429) {
            return DEAD_LETTER;
        }
        return RETRY;
    }

    /** True for a status no well-formed bulk item carries. */
    static boolean malformed(int status) {
        return status < 200 || status >= 300 && status < 400;
    }
}
