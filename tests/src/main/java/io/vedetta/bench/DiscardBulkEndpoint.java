package io.vedetta.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP endpoint that takes {@code _bulk} requests, throws the documents away and answers as a healthy
 * Elasticsearch node does: one {@code create} item per action with index, id, version, shards and status 201. So the
 * agent's side of shipping (reading, parsing, encoding, sending, reading the response) is measured alone.
 */
public final class DiscardBulkEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong seqNo = new AtomicLong();

    public DiscardBulkEndpoint() throws IOException {
        // As Elasticsearch (Netty) answers: without TCP_NODELAY a response small enough to follow its headers in a
        // second small write waits for the client's delayed ACK, about 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long items() {
        return items.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        byte[] response;
        if (exchange.getRequestURI().getPath().endsWith("/_bulk")) {
            response = bulkResponse(body, filterPath(exchange.getRequestURI().getRawQuery()));
        } else {
            response = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, response.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response);
        }
    }

    /**
     * Every other line of the body is an action; each gets the item a created document gets, cut down to the
     * request's {@code filter_path} as Elasticsearch cuts it (null: the whole response).
     */
    private byte[] bulkResponse(byte[] body, Set<String> filterPath) {
        StringBuilder out = new StringBuilder(body.length / 2 + 64);
        out.append('{');
        if (filterPath == null || filterPath.contains("took")) {
            out.append("\"took\":3,");
        }
        out.append("\"errors\":false,\"items\":[");
        int start = 0;
        int count = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '\n', start);
            String action = new String(body, start, end - start, StandardCharsets.UTF_8);
            int next = indexOf(body, (byte) '\n', end + 1);
            start = next + 1;
            if (count++ > 0) {
                out.append(',');
            }
            if (filterPath == null) {
                out.append("{\"create\":{\"_index\":\"").append(field(action, "_index", "logs"))
                        .append("\",\"_id\":\"").append(field(action, "_id", "auto-" + count))
                        .append("\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,")
                        .append("\"failed\":0},\"_seq_no\":").append(seqNo.getAndIncrement())
                        .append(",\"_primary_term\":1,\"status\":201}}");
            } else if (filterPath.contains("items.*.status")) {
                out.append("{\"create\":{\"status\":201}}");
            }
        }
        out.append("]}");
        items.addAndGet(count);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The fields a {@code filter_path} query parameter keeps; null without one. */
    private static Set<String> filterPath(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String parameter : rawQuery.split("&")) {
            if (parameter.startsWith("filter_path=")) {
                String value = URLDecoder.decode(parameter.substring("filter_path=".length()), StandardCharsets.UTF_8);
                return Set.of(value.split(","));
            }
        }
        return null;
    }

    private static String field(String action, String name, String fallback) {
        String key = "\"" + name + "\":\"";
        int at = action.indexOf(key);
        if (at < 0) {
            return fallback;
        }
        int from = at + key.length();
        return action.substring(from, action.indexOf('"', from));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
