package io.vedetta.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real single-node Elasticsearch (module es-node) in a child JVM, bound to 127.0.0.1, for tests and
 * the demo. The child has its own classpath, so Elasticsearch's log4j, Lucene and Netty never meet the
 * agent's. Outages are real: {@link #stop()} shuts the node down gracefully, {@link #kill()} sends
 * SIGKILL, and {@link #restart()} brings it back on the same data directory and HTTP port.
 *
 * <p>The child's output goes to {@code node.log} in its home directory. The child also stops when
 * this JVM dies, because it exits when its stdin (a pipe from this process) closes.
 */
public final class ElasticsearchProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchProcess.class);

    private static final String MAIN_CLASS = "io.vedetta.esnode.EsNodeMain";
    private static final String READY_PREFIX = "VEDETTA_ES_READY ";
    /** Generous: the build machines are shared and a loaded 2-core box can be ten times slower. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /**
     * Measured on a 2-core machine: the serial collector and C1-only compilation halve the CPU a start
     * costs (about 2.3 s instead of 4.5 s) and cut the resident set by a quarter, while bulk indexing
     * stays above 30k small docs/s.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path home;
    private final boolean ownsHome;
    private final String classpath;
    private int httpPort;
    private Map<String, String> settings = Map.of();
    private Process process;
    private NodeOutput output;
    private Duration lastStartDuration;

    private ElasticsearchProcess(Path home, boolean ownsHome, int httpPort) {
        this.home = home;
        this.ownsHome = ownsHome;
        this.httpPort = httpPort;
        this.classpath = EsNodeClasspath.resolve();
    }

    /** Starts a node on a fresh temporary home (deleted by {@link #close()}) and a free HTTP port. */
    public static ElasticsearchProcess start() throws IOException {
        ElasticsearchProcess node = new ElasticsearchProcess(Files.createTempDirectory("vedetta-es-"), true, 0);
        try {
            node.launch();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Starts a node on the caller's home directory (kept on close) and HTTP port (0 picks a free one). */
    public static ElasticsearchProcess start(Path home, int httpPort) throws IOException {
        ElasticsearchProcess node = new ElasticsearchProcess(Files.createDirectories(home), false, httpPort);
        node.launch();
        return node;
    }

    /** The HTTP base URL, such as {@code http://127.0.0.1:40123}; unchanged by restarts. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path home() {
        return home;
    }

    public Path logFile() {
        return home.resolve("node.log");
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** From launching the child JVM to the node serving HTTP with its existing shards allocated. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** The child JVM's process id, for reading its CPU time from /proc; the node must be running. */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("Elasticsearch is not running");
        }
        return process.pid();
    }

    /** The child's resident set size from /proc, in bytes; 0 when it is not running. */
    public synchronized long residentBytes() throws IOException {
        if (!isRunning()) {
            return 0;
        }
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"));
        return status.stream()
            .filter(line -> line.startsWith("VmRSS:"))
            .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
            .findFirst()
            .orElse(0L);
    }

    /** Graceful shutdown (SIGTERM, then SIGKILL after 30 s). Does nothing when stopped. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Elasticsearch (pid {}) did not stop within {} s, killing it", process.pid(), STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor();
            }
            output.awaitEnd(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        log.info("Elasticsearch (pid {}) stopped with exit code {}", process.pid(), process.isAlive() ? "?" : process.exitValue());
    }

    /** SIGKILL, as a crash or OOM kill would: no flush, no goodbye. */
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        try {
            process.destroyForcibly().waitFor();
            output.awaitEnd(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Elasticsearch (pid {}) killed", process.pid());
    }

    /** Stops the node if it runs, then starts it again on the same home directory and HTTP port. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /**
     * Restarts the node with {@code settings} added to its own (static ones such as
     * {@code indexing_pressure.memory.limit} need a restart); they stay for later restarts until replaced.
     */
    public synchronized void restart(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
        restart();
    }

    /** Stops the node and deletes the home directory if {@link #start()} created it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsHome) {
            deleteRecursively(home);
        }
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of(
            "-Djava.io.tmpdir=" + directory("tmp"),
            "-cp", classpath,
            MAIN_CLASS,
            home.toString(),
            Integer.toString(httpPort),
            "0"));
        settings.forEach((key, value) -> command.add(key + "=" + value));
        long started = System.nanoTime();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the Elasticsearch JVM failed", e);
        }
        output = NodeOutput.follow(process, READY_PREFIX, logFile());
        try {
            httpPort = URI.create(output.awaitReady(START_DEADLINE)).getPort();
        } catch (TimeoutException | RuntimeException e) {
            kill();
            throw new IllegalStateException(failure(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while Elasticsearch was starting", e);
        }
        lastStartDuration = Duration.ofNanos(System.nanoTime() - started);
        log.info("Elasticsearch (pid {}) ready at {} in {} ms, log {}", process.pid(), url(), lastStartDuration.toMillis(), logFile());
    }

    private String failure(Exception cause) {
        String reason = cause instanceof TimeoutException
            ? "Elasticsearch was not ready within " + START_DEADLINE.toSeconds() + " s"
            : "Elasticsearch failed to start: " + cause.getMessage();
        return reason + "; last lines of " + logFile() + ":\n" + output.tail();
    }

    private String directory(String name) {
        try {
            return Files.createDirectories(home.resolve(name)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + home.resolve(name), e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}", root, e);
        }
    }
}
