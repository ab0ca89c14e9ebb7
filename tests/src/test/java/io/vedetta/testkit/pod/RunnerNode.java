package io.vedetta.testkit.pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runner's own tests run containers of {@code test/host}, an image that is this machine's file system, and look
 * at them from the host: /proc/&lt;pid&gt;/status and environ of the container's process, as no container could fake.
 */
final class RunnerNode {

    static final String IMAGE = "test/host";
    /** A container that waits, and ends at once on SIGTERM (as PID 1, sleep alone would ignore it). */
    static final String SLEEP = "[sh, -c, \"trap 'exit 0' TERM; sleep 600 & wait\"]";

    private RunnerNode() {
    }

    static PodNode create(Path dir) {
        return PodNode.create("runner-node", dir).addImage(ContainerImage.host(IMAGE))
                .mapHostPath(HttpTarget.HOST_PATH, HttpTarget.resources());
    }

    /** A Pod manifest of one container named {@code c} running {@code command} (YAML flow list), plus more YAML. */
    static PodManifest pod(String name, String command, String containerYaml, String specYaml) {
        return PodManifest.parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: runner, labels: {app: runner-test}}
                spec:
                  terminationGracePeriodSeconds: 2
                %s
                  containers:
                  - name: c
                    image: %s
                    command: %s
                %s
                """.formatted(name, indent(specYaml, 2), IMAGE, command, indent(containerYaml, 4)));
    }

    private static String indent(String yaml, int spaces) {
        return yaml.isBlank() ? "" : yaml.stripIndent().lines().map(line -> " ".repeat(spaces) + line)
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /** The fields of /proc/&lt;pid&gt;/status, as this machine sees the process. */
    static Map<String, String> status(long pid) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : read(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** The process's environment, from /proc/&lt;pid&gt;/environ. */
    static Map<String, String> environ(long pid) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : read(Path.of("/proc", String.valueOf(pid), "environ")).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                out.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return out;
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
