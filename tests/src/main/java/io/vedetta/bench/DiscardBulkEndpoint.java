package io.vedetta.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP endpoint that takes {@code _bulk} requests, throws the documents away and answers as a healthy
 * Elasticsearch node does: one {@code create} item per action with index, id, version, shards and status 201. So the
 * agent's side of shipping (reading, parsing, encoding, sending, reading the response) is measured alone.
 */
final class DiscardBulkEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong seqNo = new AtomicLong();

    DiscardBulkEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long items() {
        return items.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        byte[] response;
        if (exchange.getRequestURI().getPath().endsWith("/_bulk")) {
            response = bulkResponse(body);
        } else {
            response = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, response.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response);
        }
    }

    /** Every other line of the body is an action; each gets the item a created document gets. */
    private byte[] bulkResponse(byte[] body) {
        StringBuilder out = new StringBuilder(body.length / 2 + 64);
        out.append("{\"took\":3,\"errors\":false,\"items\":[");
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
            out.append("{\"create\":{\"_index\":\"").append(field(action, "_index", "logs"))
                    .append("\",\"_id\":\"").append(field(action, "_id", "auto-" + count))
                    .append("\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,")
                    .append("\"failed\":0},\"_seq_no\":").append(seqNo.getAndIncrement())
                    .append(",\"_primary_term\":1,\"status\":201}}");
        }
        out.append("]}");
        items.addAndGet(count);
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
