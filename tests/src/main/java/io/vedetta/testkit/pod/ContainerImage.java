package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container image contributes to a container: its entrypoint and command, environment, default user and
 * working directory. No image is pulled: the container's root is this machine's own filesystem (read through an
 * overlay, so the host is never written), and the few files the image adds are bind-mounted read-only where the image
 * has them: for the agent, the packaged {@code node-agent/target/vedetta-agent.jar}, the files its runtime stage
 * copies from the repository, this JVM's own JDK at the temurin image's {@code /opt/java/openjdk}, and the
 * class-data sharing archive its {@code RUN java -Xshare:dump} step makes ({@link ImageArchive}).
 *
 * @param files container path to host path, mounted read-only
 */
public record ContainerImage(String repository, List<String> entrypoint, List<String> cmd, Map<String, String> env,
        Long user, Long group, String workingDir, Map<String, Path> files) {

    /** The temurin base image's JDK directory, where the agent image's {@code java} comes from. */
    static final String JAVA_HOME = "/opt/java/openjdk";
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern ENV = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S+))");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The agent image as the repository's {@code Dockerfile} builds it: the runtime stage's COPY, ENV, USER,
     * ENTRYPOINT and CMD and its archive's RUN step (other RUN steps, adding the user, change nothing the runner
     * uses), read from the file so the runner follows it when it changes. The temurin base adds its JDK to PATH and sets
     * a UTF-8 locale ({@code en_US.UTF-8}; this machine's {@code C.UTF-8} stands in, which gives the JVM the same
     * default charset without needing that locale installed).
     */
    public static ContainerImage agent() {
        Path dockerfile = AlertingSetup.repo().resolve("Dockerfile");
        List<String> lines;
        try {
            lines = runtimeStage(Files.readString(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile, e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", JAVA_HOME + "/bin:" + PATH);
        env.put("JAVA_HOME", JAVA_HOME);
        env.put("LANG", "C.UTF-8");
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        Long user = null;
        Long group = null;
        String jarPath = null;
        Path repo = AlertingSetup.repo();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(JAVA_HOME, Path.of(System.getProperty("java.home")));
        String archiveStep = null;
        for (String line : lines) {
            String[] words = line.split("\\s+", 2);
            String argument = words.length > 1 ? words[1].trim() : "";
            switch (words[0].toUpperCase()) {
                case "ENV" -> {
                    Matcher m = ENV.matcher(argument);
                    while (m.find()) {
                        env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
                    }
                }
                case "USER" -> {
                    String[] ids = argument.split(":");
                    user = Long.parseLong(ids[0]);
                    group = ids.length > 1 ? Long.parseLong(ids[1]) : user;
                }
                case "ENTRYPOINT" -> entrypoint = jsonArray(argument, dockerfile);
                case "CMD" -> cmd = jsonArray(argument, dockerfile);
                case "COPY" -> {
                    String[] parts = argument.split("\\s+");
                    String source = parts[parts.length - 2];
                    String target = parts[parts.length - 1];
                    if (source.endsWith("vedetta-agent.jar")) {
                        jarPath = target;
                        files.put(target, AgentProcess.jar().toAbsolutePath());
                    } else if (!argument.startsWith("--from")) {
                        Path file = repo.resolve(source);
                        files.put(target.endsWith("/") ? target + file.getFileName() : target, file);
                    }
                }
                case "RUN" -> {
                    if (ImageArchive.dumps(argument)) {
                        archiveStep = argument;
                    }
                }
                default -> {
                }
            }
        }
        if (jarPath == null || entrypoint.isEmpty()) {
            throw new IllegalStateException(dockerfile + ": the runtime stage has no COPY of vedetta-agent.jar or no"
                    + " ENTRYPOINT, which the pod runner reads to run the agent as the image does");
        }
        if (archiveStep != null) {
            List<Path> inputs = new ArrayList<>(files.values());
            inputs.remove(files.get(JAVA_HOME));
            inputs.add(dockerfile);
            files.put(ImageArchive.imagePath(archiveStep),
                    ImageArchive.dump(archiveStep, files, env.get("PATH"), files.get(jarPath), inputs));
        }
        return new ContainerImage("ghcr.io/vedetta/vedetta-agent", entrypoint, cmd, Map.copyOf(env), user, group, "/",
                Map.copyOf(files));
    }

    /**
     * An image that is this machine's filesystem and nothing more, running as root with no entrypoint: for containers
     * whose {@code command} runs a host tool (the runner's own tests).
     */
    public static ContainerImage host(String repository) {
        return new ContainerImage(repository, List.of(), List.of(), Map.of("PATH", PATH), 0L, 0L, "/", Map.of());
    }

    /** Whether {@code reference} ({@code repo[:tag][@digest]}) names this image. */
    boolean matches(String reference) {
        String name = reference.replaceFirst("@.*$", "");
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        return name.equals(repository);
    }

    private static List<String> runtimeStage(String dockerfile) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String joined = current.toString().strip();
            current.setLength(0);
            if (joined.toUpperCase().startsWith("FROM ")) {
                lines.clear();
            } else if (!joined.isEmpty()) {
                lines.add(joined);
            }
        }
        return lines;
    }

    private static List<String> jsonArray(String argument, Path dockerfile) {
        try {
            return List.of(JSON.readValue(argument, String[].class));
        } catch (IOException e) {
            throw new IllegalStateException(dockerfile + ": expected the exec form [\"...\"] but got " + argument, e);
        }
    }
}
