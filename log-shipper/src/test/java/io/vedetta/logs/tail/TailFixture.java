package io.vedetta.logs.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Real files and a real tailer with short intervals; closes every tailer it started. */
final class TailFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final Path dir;
    final Path logs;
    final Path state;
    final List<Tailer> tailers = new ArrayList<>();
    MeterRegistry registry = new SimpleMeterRegistry();

    TailFixture(Path dir) throws IOException {
        this.dir = dir;
        this.logs = Files.createDirectories(dir.resolve("logs"));
        this.state = dir.resolve("state");
    }

    TailConfig.Builder config() {
        return TailConfig.builder()
                .paths(List.of(logs + "/*.log"))
                .stateDir(state)
                // The test's whole directory: links from logs/ into siblings, as the kubelet's lead into pods/.
                .allowedRoots(List.of(dir))
                .pollInterval(Duration.ofMillis(20))
                .rescanInterval(Duration.ofMillis(500))
                .rotateWait(Duration.ofMillis(300))
                .checkpointInterval(Duration.ofMillis(20));
    }

    Tailer start(TailConfig config, LineConsumer consumer) throws IOException {
        registry = new SimpleMeterRegistry();
        Tailer tailer = new Tailer(config, consumer, registry);
        tailers.add(tailer);
        tailer.start();
        return tailer;
    }

    double metric(String name) {
        var meter = registry.find(name);
        return meter.counter() != null ? meter.counter().count() : meter.gauge() != null ? meter.gauge().value() : 0;
    }

    static void append(Path file, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        appendRaw(file, sb.toString());
    }

    static void appendRaw(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String[] numbered(String prefix, int from, int to) {
        String[] lines = new String[to - from];
        for (int i = from; i < to; i++) {
            lines[i - from] = prefix + i;
        }
        return lines;
    }

    /** The saved position of the file with this inode, or -1 while the positions file does not list it. */
    long savedOffset(Path file) throws IOException {
        return savedOffset(FileKey.of(file));
    }

    long savedOffset(FileKey key) throws IOException {
        Path positions = state.resolve(PositionStore.FILE_NAME);
        if (!Files.exists(positions)) {
            return -1;
        }
        JsonNode root = new ObjectMapper().readTree(positions.toFile());
        for (JsonNode f : root.path("files")) {
            if (f.path("dev").asLong() == key.dev() && f.path("ino").asLong() == key.ino()) {
                return f.path("offset").asLong();
            }
        }
        return -1;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT + " waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    interface IoCondition {
        boolean test() throws IOException;
    }

    static BooleanSupplier io(IoCondition condition) {
        return () -> {
            try {
                return condition.test();
            } catch (IOException e) {
                return false;
            }
        };
    }

    @Override
    public void close() {
        tailers.forEach(Tailer::close);
    }
}
