package io.vedetta.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Random;

/**
 * The benchmark's container log: CRI lines of about 200 bytes, about 10% plain text (klog style), about 3% partial
 * ({@code P}) lines each completed by the next line, the rest JSON objects. Seeded, so every run reads the same file.
 */
record CriLogFile(Path path, long lines, long partialLines, long bytes) {

    private static final String[] LEVELS = {"info", "info", "info", "debug", "warn", "error"};
    private static final String[] PATHS = {"/api/v1/orders", "/api/v1/items", "/healthz", "/api/v2/users/search",
        "/static/app.js", "/api/v1/cart/checkout"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};

    /** The line count minus the partial lines, each of which the agent merges into the line after it. */
    long records() {
        return lines - partialLines;
    }

    /** The same lines in a file of their own: another inode, which the agent tails as another container's log. */
    CriLogFile copyTo(Path target) throws IOException {
        Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        return new CriLogFile(target, lines, partialLines, bytes);
    }

    static CriLogFile write(Path path, long lines) throws IOException {
        Random random = new Random(42);
        Instant time = Instant.parse("2026-11-25T00:00:00Z");
        long partials = 0;
        long bytes = 0;
        StringBuilder line = new StringBuilder(512);
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            for (long n = 0; n < lines; n++) {
                time = time.plusNanos(100_000 + random.nextInt(900_000));
                line.setLength(0);
                String stream = random.nextInt(20) == 0 ? "stderr" : "stdout";
                boolean partial = n + 1 < lines && random.nextInt(100) < 3;
                line.append(time).append(' ').append(stream).append(partial ? " P " : " F ");
                if (partial) {
                    partials++;
                    line.append("{\"level\":\"info\",\"msg\":\"payload chunk ").append(n).append(" of a long record\",\"data\":\"");
                    appendHex(line, random, 64);
                    line.append('\n');
                    time = time.plusNanos(1000);
                    line.append(time).append(' ').append(stream).append(" F ");
                    appendHex(line, random, 96);
                    line.append("\"}");
                    n++;
                } else if (random.nextInt(10) == 0) {
                    line.append(String.format("I1125 %02d:%02d:%02d.%06d       1 controller.go:%d] reconciling ",
                            random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000),
                            100 + random.nextInt(900)));
                    line.append("deployment default/web-").append(random.nextInt(1000)).append(" generation ")
                            .append(random.nextInt(100_000)).append(" observed; replicas ready ")
                            .append(random.nextInt(10)).append(" of ").append(10).append(", took ")
                            .append(random.nextInt(1000)).append("ms");
                } else {
                    int i = random.nextInt(PATHS.length);
                    line.append("{\"level\":\"")
                            .append(LEVELS[random.nextInt(LEVELS.length)]).append("\",\"msg\":\"request served\",")
                            .append("\"method\":\"").append(METHODS[random.nextInt(METHODS.length)])
                            .append("\",\"path\":\"").append(PATHS[i]).append("\",\"status\":")
                            .append(random.nextInt(50) == 0 ? 500 : 200).append(",\"duration_ms\":")
                            .append(random.nextInt(2000) / 10.0).append(",\"user\":").append(random.nextInt(100_000))
                            .append(",\"trace_id\":\"");
                    appendHex(line, random, 32);
                    line.append("\"}");
                }
                line.append('\n');
                out.append(line);
                bytes += line.length();
            }
        }
        return new CriLogFile(path, lines, partials, bytes);
    }

    private static void appendHex(StringBuilder out, Random random, int digits) {
        for (int i = 0; i < digits; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
    }
}
