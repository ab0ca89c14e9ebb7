package io.vedetta.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged agent run to its end with some arguments (e.g. {@code --check-config}): its exit code and output. */
public final class AgentCommand {

    /** What the process printed, standard output and error together. */
    public record Result(int exit, String output) {
    }

    private AgentCommand() {
    }

    /** Runs {@code java -jar vedetta-agent.jar --config CONFIG ARGS...} with {@code configYaml} written to {@code dir}. */
    public static Result run(Path dir, String configYaml, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("vedetta.yaml"), configYaml);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-jar", AgentProcess.jar().toString(), "--config", config.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("NODE_NAME"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the agent did not exit within 60 s: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted", e);
        }
        return new Result(process.exitValue(), output);
    }
}
