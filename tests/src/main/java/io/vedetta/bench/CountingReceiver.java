package io.vedetta.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.vedetta.agent.protobuf.ProtoReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The one remote-write receiver both agents of {@code scripts/bench remote-write} write to: it decodes every request
 * (snappy, protobuf {@code WriteRequest}) and counts, per value of the external label {@code agent}, the samples and
 * the {@link BenchTargets#SERIES} samples, the delay from each of those samples' timestamp to its arrival, and samples
 * no newer than the last one of their series (sent twice or out of order). Answers 200 to everything; its own cost is
 * in the benchmark's JVM, not in either agent's.
 */
final class CountingReceiver implements AutoCloseable {

    /** What one agent sent. */
    static final class Counts {
        long samples;
        long benchSamples;
        long repeated;
        long requests;
        long bytes;
        private int[] delays = new int[1 << 16];
        private int delayCount;
        private final Map<String, Long> last = new HashMap<>();

        synchronized void delay(long millis) {
            if (delayCount == delays.length) {
                delays = Arrays.copyOf(delays, delays.length * 2);
            }
            delays[delayCount++] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, millis));
        }

        /** The {@code q} quantile of the delays recorded since {@link #resetDelays}, in milliseconds. */
        synchronized double delayQuantile(double q) {
            if (delayCount == 0) {
                return Double.NaN;
            }
            int[] sorted = Arrays.copyOf(delays, delayCount);
            Arrays.sort(sorted);
            return sorted[Math.min(delayCount - 1, (int) Math.ceil(q * delayCount) - 1)];
        }

        synchronized void resetDelays() {
            delayCount = 0;
        }

        synchronized long[] snapshot() {
            return new long[] {samples, benchSamples, repeated, requests, bytes};
        }
    }

    private final HttpServer server;
    private final Map<String, Counts> byAgent = new HashMap<>();
    private final SnappyDecompressor snappy = new SnappyDecompressor();

    CountingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/api/v1/write", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    synchronized Counts counts(String agent) {
        return byAgent.computeIfAbsent(agent, a -> new Counts());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.currentTimeMillis();
            byte[] raw;
            synchronized (snappy) {
                raw = new byte[io.airlift.compress.snappy.SnappyDecompressor.getUncompressedLength(body, 0)];
                snappy.decompress(body, 0, body.length, raw, 0, raw.length);
            }
            decode(raw, now, body.length);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private void decode(byte[] raw, long now, int bytes) {
        ProtoReader request = new ProtoReader(raw, 0, raw.length);
        Counts counts = null;
        while (!request.atEnd()) {
            long tag = request.varint();
            int length = request.length();
            int end = request.position() + length;
            if (tag != (1 << 3 | 2)) {
                request.skip(length);
                continue;
            }
            String agent = "";
            String name = "";
            StringBuilder key = new StringBuilder();
            long[] timestamps = new long[4];
            int n = 0;
            while (request.position() < end) {
                long t = request.varint();
                int l = request.length();
                int fieldEnd = request.position() + l;
                if (t == (1 << 3 | 2)) {
                    String labelName = "";
                    String labelValue = "";
                    while (request.position() < fieldEnd) {
                        long ft = request.varint();
                        int fl = request.length();
                        if (ft == (1 << 3 | 2)) {
                            labelName = request.string(fl);
                        } else {
                            labelValue = request.string(fl);
                        }
                    }
                    key.append(labelName).append('=').append(labelValue).append(',');
                    if (labelName.equals("agent")) {
                        agent = labelValue;
                    } else if (labelName.equals("__name__")) {
                        name = labelValue;
                    }
                } else if (t == (2 << 3 | 2)) {
                    long ts = 0;
                    while (request.position() < fieldEnd) {
                        long ft = request.varint();
                        if (ft == (1 << 3 | 1)) {
                            request.fixed64();
                        } else {
                            ts = request.varint();
                        }
                    }
                    if (n == timestamps.length) {
                        timestamps = Arrays.copyOf(timestamps, n * 2);
                    }
                    timestamps[n++] = ts;
                } else {
                    request.skip(l);
                }
            }
            if (counts == null) {
                counts = counts(agent);
                synchronized (counts) {
                    counts.requests++;
                    counts.bytes += bytes;
                }
            }
            boolean bench = name.equals(BenchTargets.SERIES);
            synchronized (counts) {
                counts.samples += n;
                if (bench) {
                    counts.benchSamples += n;
                    String series = key.toString();
                    for (int i = 0; i < n; i++) {
                        Long last = counts.last.get(series);
                        if (last != null && timestamps[i] <= last) {
                            counts.repeated++;
                        } else {
                            counts.last.put(series, timestamps[i]);
                        }
                        counts.delay(now - timestamps[i]);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
