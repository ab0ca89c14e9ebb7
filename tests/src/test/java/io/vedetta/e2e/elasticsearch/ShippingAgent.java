package io.vedetta.e2e.elasticsearch;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * The packaged agent in standalone mode (no Kubernetes API: namespace and pod come from the file names)
 * tailing one directory of CRI files into a real node, and the files it tails: each line a JSON object with
 * a sequence number, so a test can tell every line's fate.
 */
final class ShippingAgent {

    private ShippingAgent() {
    }

    /**
     * @param elasticsearch extra lines of the {@code elasticsearch} section, indented by two spaces
     */
    static AgentProcess start(Path dir, String url, String elasticsearch) {
        return start(dir, url, elasticsearch, "");
    }

    /** @param logs extra lines of the {@code logs} section, indented by two spaces */
    static AgentProcess start(Path dir, String url, String elasticsearch, String logs) {
        return AgentProcess.start(dir.resolve("agent"), """
                kubernetes: {enabled: false}
                metrics:
                  kubelet: {enabled: false}
                logs:
                  enabled: true
                  paths: ["%1$s/containers/*.log"]
                  stateDir: %1$s/state
                  parseJson: true
                  podWait: 0s
                  batch: {linger: 100ms}
                %4$s
                elasticsearch:
                  urls: ["%2$s"]
                  retry: {initial: 100ms, max: 2s}
                %3$s
                logging:
                  format: json
                """.formatted(dir, url, elasticsearch, logs), Map.of());
    }

    /** The kubelet-named log file of container {@code app} of pod {@code app-1} in {@code namespace}. */
    static Path logFile(Path dir, String namespace, String app) {
        try {
            Path file = Files.createDirectories(dir.resolve("containers"))
                    .resolve(app + "-1_" + namespace + "_" + app + "-" + "c".repeat(64) + ".log");
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends lines with {@code seq} from {@code first} to {@code last} inclusive, about 200 bytes each. */
    static void appendSequence(Path file, long first, long last) {
        StringBuilder out = new StringBuilder();
        for (long seq = first; seq <= last; seq++) {
            out.append(Instant.now()).append(" stdout F {\"seq\":").append(seq)
                    .append(",\"level\":\"info\",\"msg\":\"GET /api/items/").append(seq)
                    .append(" 200\",\"padding\":\"").append("x".repeat(80)).append("\"}\n");
        }
        append(file, out.toString());
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sum of the agent's series whose exposition line starts with {@code prefix}; 0 when absent. */
    static double metric(AgentProcess agent, String prefix) {
        double sum = 0;
        for (String line : Http.get(agent.url() + "/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
