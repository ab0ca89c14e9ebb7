package io.vedetta.agent.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of one HTTP/1.x request, parsed from the bytes {@link GuardedHttpServer} read.
 * Strict where leniency could let a request be read two ways (folded headers, a space before a header's colon,
 * conflicting lengths), and only as wide as the endpoints need: they take no body.
 */
record RequestHead(String method, String path, String query, boolean http11, Map<String, List<String>> headers) {

    /** More headers than any scraper or probe sends; a client with more is refused rather than parsed slowly. */
    static final int MAX_HEADERS = 100;

    /** A request that cannot be served, with the status that says why and the reason it is counted under. */
    static final class Malformed extends Exception {
        final int status;
        final Rejection reason;

        Malformed(int status, Rejection reason, String message) {
            super(message);
            this.status = status;
            this.reason = reason;
        }
    }

    /** The values of header {@code name} (any case), in the order sent; empty when absent. */
    List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** Whether the connection may carry another request after this one's response. */
    boolean keepAlive() {
        boolean close = header("connection").stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
        return http11 && !close;
    }

    /** Whether the request announces a body (none of the endpoints takes one). */
    boolean hasBody() {
        return !header("transfer-encoding").isEmpty()
                || header("content-length").stream().anyMatch(v -> !v.equals("0"));
    }

    /**
     * The end of the head in {@code bytes[0, length)}: the index just past the blank line, or -1 while it has not
     * arrived. {@code from} is where an earlier search of the same bytes stopped. A bare LF ends a line too.
     */
    static int end(byte[] bytes, int length, int from) {
        for (int i = Math.max(0, from); i < length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i + 1 < length && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** Parses {@code bytes[0, length)}, a complete head as found by {@link #end}. */
    static RequestHead parse(byte[] bytes, int length) throws Malformed {
        String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3) {
            throw malformed("the request line is not METHOD TARGET VERSION");
        }
        String method = requestLine[0];
        if (!isToken(method)) {
            throw malformed("the method is not a token");
        }
        boolean http11;
        switch (requestLine[2]) {
            case "HTTP/1.1" -> http11 = true;
            case "HTTP/1.0" -> http11 = false;
            default -> throw new Malformed(505, Rejection.MALFORMED, "version " + printable(requestLine[2])
                    + " is not HTTP/1.0 or HTTP/1.1");
        }
        String target = origin(requestLine[1]);
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int count = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            if (++count > MAX_HEADERS) {
                throw new Malformed(431, Rejection.HEADER_TOO_LARGE, "more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw malformed("a header line is not NAME: VALUE (or is folded)");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        List<String> lengths = headers.getOrDefault("content-length", List.of());
        if (lengths.stream().distinct().count() > 1
                || lengths.stream().anyMatch(v -> !v.matches("\\d{1,18}"))) {
            throw malformed("Content-Length is not one number");
        }
        return new RequestHead(method, path, query, http11, headers);
    }

    /** The path and query of an origin-form target ({@code /metrics?x}) or of an absolute-form one. */
    private static String origin(String target) throws Malformed {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw malformed("the target holds a control or non-ASCII character");
            }
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("://") + 3);
            return slash < 0 ? "/" : target.substring(slash);
        }
        if (!target.startsWith("/")) {
            throw malformed("the target is not a path");
        }
        return target;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        String cut = s.length() > 20 ? s.substring(0, 20) + "…" : s;
        return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }

    private static Malformed malformed(String message) {
        return new Malformed(400, Rejection.MALFORMED, message);
    }
}
