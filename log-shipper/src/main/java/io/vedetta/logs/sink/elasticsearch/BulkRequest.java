package io.vedetta.logs.sink.elasticsearch;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code _bulk} request: items and how often it was tried. The body is the items' lines; items cut from
 * one encoded batch are contiguous, so the common case sends a slice of that batch's buffer without a copy.
 */
final class BulkRequest {

    final List<BulkItem> items;
    final int attempt;
    private final byte[] body;
    private final int offset;
    private final int length;

    BulkRequest(List<BulkItem> items, int attempt) {
        this.items = List.copyOf(items);
        this.attempt = attempt;
        BulkItem first = items.get(0);
        boolean contiguous = true;
        int size = 0;
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            size += item.length();
            if (i > 0) {
                BulkItem previous = items.get(i - 1);
                contiguous &= item.buffer() == first.buffer() && item.start() == previous.end();
            }
        }
        if (contiguous) {
            body = first.buffer();
            offset = first.start();
        } else {
            body = new byte[size];
            offset = 0;
            int at = 0;
            for (BulkItem item : items) {
                System.arraycopy(item.buffer(), item.start(), body, at, item.length());
                at += item.length();
            }
        }
        length = size;
    }

    /** Cuts {@code items} into requests of at most {@code maxBytes} (a larger single item goes alone) and {@code maxItems}. */
    static List<BulkRequest> split(List<BulkItem> items, long maxBytes, int maxItems, int attempt) {
        List<BulkRequest> requests = new ArrayList<>();
        List<BulkItem> current = new ArrayList<>();
        long bytes = 0;
        for (BulkItem item : items) {
            if (!current.isEmpty() && (bytes + item.length() > maxBytes || current.size() >= maxItems)) {
                requests.add(new BulkRequest(current, attempt));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += item.length();
        }
        if (!current.isEmpty()) {
            requests.add(new BulkRequest(current, attempt));
        }
        return requests;
    }

    byte[] body() {
        return body;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }
}
