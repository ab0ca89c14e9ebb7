package io.vedetta.agent.http;

import java.util.Locale;

/**
 * Why the HTTP server refused a connection or cut one off: the {@code reason} label of
 * {@code vedetta_http_rejected_total}. A closed set, so every series exists from the start.
 */
enum Rejection {
    /** {@code http.maxConnections} were open; the new connection was closed at once. */
    CONNECTION_LIMIT,
    /** The client's address already had {@code http.maxConnectionsPerClient} open. */
    CLIENT_CONNECTION_LIMIT,
    /** The request line and headers did not arrive within {@code http.requestHeaderTimeout}. */
    HEADER_TIMEOUT,
    /** The request line and headers were longer than {@code http.maxRequestHeaderBytes}, or too many. */
    HEADER_TOO_LARGE,
    /** Not HTTP/1.x as the server reads it (answered 400, or 505 for another version). */
    MALFORMED,
    /** The request announced a body; no endpoint takes one (answered 413 without reading it). */
    BODY,
    /** The client did not read the response within {@code http.responseTimeout}. */
    WRITE_TIMEOUT,
    /** A handler failed before answering (answered 500; the cause is in the agent's log). */
    HANDLER_ERROR,
    /** The server's own loop failed (a bug); it goes on serving. */
    INTERNAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    String label() {
        return label;
    }
}
