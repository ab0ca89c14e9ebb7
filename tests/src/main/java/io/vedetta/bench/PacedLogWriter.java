package io.vedetta.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Containers writing CRI lines at a steady total rate, as a node's applications do, with the kubelet's log
 * rotation: a file that reaches {@link #MAX_FILE_BYTES} is renamed to {@code 0.log.<time>} and a new {@code 0.log}
 * started, and only the newest {@link #MAX_FILES} files of a container are kept (the kubelet's
 * {@code containerLogMaxSize} and {@code containerLogMaxFiles} defaults). A line's message carries its container's
 * sequence number, so that what reaches Elasticsearch can be counted against what was written.
 */
final class PacedLogWriter implements AutoCloseable {

    /** The kubelet's default {@code containerLogMaxSize}, 10Mi. */
    static final long MAX_FILE_BYTES = 10L << 20;
    /** The kubelet's default {@code containerLogMaxFiles}: the live file and four rotated ones. */
    static final int MAX_FILES = 5;
    private static final long TICK_MILLIS = 100;
    private static final DateTimeFormatter ROTATED = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final String[] PATHS = {"/api/v1/orders", "/api/v1/items", "/healthz", "/api/v2/users/search"};

    private final List<Container> containers = new ArrayList<>();
    private final int linesPerTick;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "paced-log-writer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long written;
    private volatile long rotations;
    private volatile long late;
    private volatile RuntimeException failure;
    /** When the next tick is due (nanoTime), to count late ones; touched by the writer thread only. */
    private long nextTick = -1;

    /** @param files each container's live log file ({@code .../<container>/0.log}), which must exist */
    PacedLogWriter(List<Path> files, int linesPerSecond) {
        if (linesPerSecond % (1000 / TICK_MILLIS) != 0) {
            throw new IllegalArgumentException("--rate must be a multiple of " + 1000 / TICK_MILLIS + ", not " + linesPerSecond);
        }
        files.forEach(f -> containers.add(new Container(f)));
        this.linesPerTick = (int) (linesPerSecond / (1000 / TICK_MILLIS));
    }

    void start() {
        ticks.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops writing after the tick under way; lines written so far stay counted. */
    void stop() {
        ticks.shutdown();
        try {
            if (!ticks.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the log writer did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    long written() {
        return written;
    }

    long rotations() {
        return rotations;
    }

    /** Ticks that started more than a tick late: the writer, not the agent, fell behind the rate. */
    long lateTicks() {
        return late;
    }

    private void tick() {
        long now = System.nanoTime();
        if (nextTick > 0 && now - nextTick > TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS)) {
            late++;
        }
        nextTick = (nextTick < 0 ? now : nextTick) + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        try {
            String time = Instant.now().toString();
            int each = linesPerTick / containers.size();
            int extra = linesPerTick % containers.size();
            for (int i = 0; i < containers.size(); i++) {
                containers.get(i).write(time, each + (i < extra ? 1 : 0));
            }
            written += linesPerTick;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public void close() {
        ticks.shutdownNow();
        containers.forEach(Container::close);
    }

    /** One container's log: its live file, its rotated files, its sequence. */
    private final class Container {
        private final Path live;
        private final Deque<Path> rotated = new ArrayDeque<>();
        private final StringBuilder lines = new StringBuilder(64 * 1024);
        private OutputStream out;
        private long bytes;
        private long sequence;

        Container(Path live) {
            this.live = live;
            this.out = open();
        }

        void write(String time, int count) {
            lines.setLength(0);
            for (int n = 0; n < count; n++) {
                sequence++;
                lines.append(time).append(sequence % 20 == 0 ? " stderr F " : " stdout F ")
                        .append("{\"level\":\"info\",\"msg\":\"request served\",\"seq\":").append(sequence)
                        .append(",\"path\":\"").append(PATHS[(int) (sequence % PATHS.length)])
                        .append("\",\"status\":200,\"duration_ms\":").append(sequence % 997 / 10.0)
                        .append(",\"trace_id\":\"").append(Long.toHexString(sequence * 0x9E3779B97F4A7C15L))
                        .append("\"}\n");
            }
            byte[] chunk = lines.toString().getBytes(StandardCharsets.UTF_8);
            try {
                out.write(chunk);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + live, e);
            }
            bytes += chunk.length;
            if (bytes >= MAX_FILE_BYTES) {
                rotate();
            }
        }

        /** As the kubelet rotates: rename, reopen (the runtime's ReopenContainerLog), drop the oldest beyond the limit. */
        private void rotate() {
            try {
                out.close();
                Path old = live.resolveSibling(live.getFileName() + "." + ROTATED.format(Instant.now()));
                Files.move(live, old);
                rotated.addLast(old);
                out = open();
                bytes = 0;
                while (rotated.size() > MAX_FILES - 1) {
                    Files.delete(rotated.removeFirst());
                }
                rotations++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rotate " + live, e);
            }
        }

        private OutputStream open() {
            try {
                return Files.newOutputStream(live, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + live, e);
            }
        }

        void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
