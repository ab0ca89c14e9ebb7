package io.vedetta.agent.scrape;

import java.io.IOException;

/**
 * Why a scrape failed, as the {@code reason} of {@code vedetta_scrape_failures_total}: {@code timeout},
 * {@code connect}, {@code http_status}, {@code cut_short}, {@code read}, {@code body_size_limit},
 * {@code sample_limit}, {@code label_limit}, {@code parse}.
 */
final class ScrapeFailure extends IOException {

    static final String[] REASONS = {"timeout", "connect", "http_status", "cut_short", "read", "body_size_limit",
        "sample_limit", "label_limit", "parse"};

    private final String reason;

    ScrapeFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
