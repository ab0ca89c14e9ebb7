package io.vedetta.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a child node's merged stdout and stderr: appends every line to a log file, keeps the last
 * lines to explain a failure, and notices the ready line. Reading continuously also keeps the child
 * from blocking on a full pipe.
 */
final class NodeOutput {

    private static final int TAIL_LINES = 40;

    private final String readyPrefix;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Thread reader;

    private NodeOutput(String readyPrefix, InputStream output, Path logFile, String name) {
        this.readyPrefix = readyPrefix;
        this.reader = new Thread(() -> copy(output, logFile), name);
        reader.setDaemon(true);
    }

    static NodeOutput follow(Process process, String readyPrefix, Path logFile) {
        NodeOutput output = new NodeOutput(readyPrefix, process.getInputStream(), logFile, "es-node-output-" + process.pid());
        output.reader.start();
        return output;
    }

    /** The text after the ready prefix, once the child prints it. */
    String awaitReady(Duration deadline) throws TimeoutException, InterruptedException {
        try {
            return ready.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Waits until the child's output is closed and everything is in the log file. */
    void awaitEnd(Duration deadline) throws InterruptedException {
        reader.join(deadline.toMillis());
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }

    private void copy(InputStream output, Path logFile) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                 StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.write(line);
                log.write('\n');
                log.flush();
                remember(line);
                if (line.startsWith(readyPrefix)) {
                    ready.complete(line.substring(readyPrefix.length()).trim());
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException("reading the node's output failed", e));
        }
        ready.completeExceptionally(new IllegalStateException("the node exited before it was ready"));
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }
}
