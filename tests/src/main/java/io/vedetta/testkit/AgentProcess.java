package io.vedetta.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged agent ({@code vedetta-agent.jar}) running as its own process, as in a DaemonSet pod. */
public final class AgentProcess implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private AgentProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The jar built by {@code node-agent}; tests get its path from the build, the demo from the repo layout. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("vedetta.agent.jar", "node-agent/target/vedetta-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it with"
                    + " `mvn -pl node-agent -am package` (scripts/test and scripts/demo do)");
        }
        return jar;
    }

    /**
     * Starts the agent with {@code configYaml} (the http section's port is chosen here and appended)
     * and waits for {@code /healthz}.
     */
    public static AgentProcess start(Path dir, String configYaml, Map<String, String> env) {
        return start(dir, configYaml, env, List.of("-Xmx256m"));
    }

    /** As {@link #start(Path, String, Map)}, with the agent JVM's options (heap, flight recorder) given by the caller. */
    public static AgentProcess start(Path dir, String configYaml, Map<String, String> env, List<String> jvmOptions) {
        return start(dir, configYaml, env, jvmOptions, Map.of());
    }

    /** As {@link #start(Path, String, Map, List)}, with more settings of the {@code http} section than its port. */
    public static AgentProcess start(Path dir, String configYaml, Map<String, String> env, List<String> jvmOptions,
            Map<String, String> httpSettings) {
        return start(dir, configYaml, env, jvmOptions, httpSettings, AgentArchive.configured());
    }

    /**
     * As {@link #start(Path, String, Map, List, Map)}, sharing classes as {@code sharing} says (by default the
     * agent's archive, as its image runs it; see {@link AgentArchive}). The caller's {@code jvmOptions} come after the
     * sharing options, so they may override them.
     */
    public static AgentProcess start(Path dir, String configYaml, Map<String, String> env, List<String> jvmOptions,
            Map<String, String> httpSettings, AgentArchive.Sharing sharing) {
        int port = Ports.free();
        Path config = dir.resolve("vedetta.yaml");
        StringBuilder http = new StringBuilder("\nhttp:\n  address: 127.0.0.1\n  port: " + port + "\n");
        httpSettings.forEach((key, value) -> http.append("  ").append(key).append(": ").append(value).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(config, configYaml + http);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path jar = jar().toAbsolutePath().normalize();
        command.addAll(AgentArchive.options(jar, sharing));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
        ManagedProcess process = new ManagedProcess("vedetta-agent", command, env, dir.resolve("agent.log"));
        AgentProcess agent = new AgentProcess(process, port);
        if (!Http.await(Duration.ofSeconds(60), () -> !process.isAlive() || Http.get(agent.url() + "/healthz").status() == 200)
                || !process.isAlive()) {
            process.close();
            throw process.failure("did not answer /healthz on port " + port);
        }
        if (sharing == AgentArchive.Sharing.ARCHIVE
                && jvmOptions.stream().noneMatch(o -> o.startsWith("-Xshare:") || o.startsWith("-XX:SharedArchiveFile="))) {
            AgentArchive.requireMapped(process.pid(), AgentArchive.forJar(jar));
        }
        return agent;
    }

    /** The value of one series of {@code /metrics}, written as exposed ({@code name{label="v"}}); NaN when absent. */
    public double metric(String series) {
        for (String line : Http.get(url() + "/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** The value of the first series of {@code /metrics} whose line starts with {@code prefix}; NaN when none does. */
    public double metricStartingWith(String prefix) {
        for (String line : Http.get(url() + "/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
