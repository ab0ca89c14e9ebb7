package io.vedetta.agent.remotewrite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.vedetta.agent.protobuf.ProtoReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A remote-write receiver for tests: decodes each request (snappy block, protobuf {@code WriteRequest}) with a
 * decoder written here from the protocol's definition, records its samples and headers, and answers with the
 * statuses queued by the test (200 when none is queued).
 */
final class TestReceiver implements AutoCloseable {

    /** A queued answer; {@code retryAfter} may be null. */
    record Answer(int status, String retryAfter, String body) {
    }

    /** One request as received. */
    record Request(long atNanos, Map<String, String> headers, List<String> samples, int status) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Samples of the requests answered 2xx, as {@code {labels}@ts=value}. */
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    volatile long delayMillis;
    /** When set, a request without {@code Authorization: Bearer <this>} is answered 401. */
    volatile String requiredBearer;

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/write", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
    }

    void answer(Answer... queued) {
        answers.addAll(List.of(queued));
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        List<String> samples = decode(body);
        Answer answer = requiredBearer != null && !("Bearer " + requiredBearer).equals(headers.get("Authorization"))
                ? new Answer(401, null, "bad token") : answers.poll();
        int status = answer == null ? 204 : answer.status();
        requests.add(new Request(System.nanoTime(), headers, samples, status));
        if (status / 100 == 2) {
            accepted.addAll(samples);
        }
        if (answer != null && answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        byte[] text = (answer == null || answer.body() == null ? "" : answer.body()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, text.length == 0 ? -1 : text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    /** {@code {a="1", b="2"}@ts=value} for each sample of each TimeSeries. */
    static List<String> decode(byte[] compressed) {
        int length = SnappyDecompressor.getUncompressedLength(compressed, 0);
        byte[] raw = new byte[length];
        new SnappyDecompressor().decompress(compressed, 0, compressed.length, raw, 0, raw.length);
        List<String> out = new ArrayList<>();
        ProtoReader request = new ProtoReader(raw, 0, raw.length);
        while (!request.atEnd()) {
            long tag = request.varint();
            int len = request.length();
            if (tag != (1 << 3 | 2)) {
                request.skip(len);
                continue;
            }
            ProtoReader series = new ProtoReader(raw, request.position(), request.position() + len);
            request.skip(len);
            StringBuilder labels = new StringBuilder("{");
            List<String> samples = new ArrayList<>();
            while (!series.atEnd()) {
                long t = series.varint();
                int l = series.length();
                ProtoReader field = new ProtoReader(raw, series.position(), series.position() + l);
                series.skip(l);
                if (t == (1 << 3 | 2)) {
                    String name = "";
                    String value = "";
                    while (!field.atEnd()) {
                        long ft = field.varint();
                        int fl = field.length();
                        if (ft == (1 << 3 | 2)) {
                            name = field.string(fl);
                        } else {
                            value = field.string(fl);
                        }
                    }
                    labels.append(labels.length() > 1 ? ", " : "").append(name).append("=\"").append(value).append('"');
                } else if (t == (2 << 3 | 2)) {
                    double value = 0;
                    long ts = 0;
                    while (!field.atEnd()) {
                        long ft = field.varint();
                        if (ft == (1 << 3 | 1)) {
                            value = field.doubleValue();
                        } else {
                            ts = field.varint();
                        }
                    }
                    samples.add("@" + ts + "=" + value);
                }
            }
            labels.append('}');
            samples.forEach(s -> out.add(labels + s));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
