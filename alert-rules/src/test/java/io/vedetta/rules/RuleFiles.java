package io.vedetta.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The module's rule files, unit-test files and their parsed alerts. */
final class RuleFiles {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path RULES = MODULE.resolve("rules");
    static final Path TESTS = MODULE.resolve("tests");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RuleFiles() {
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alerting rule of every rule file. */
    static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (Path file : list(RULES, ".yaml")) {
            for (JsonNode group : read(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        alerts.add(rule);
                    }
                }
            }
        }
        return alerts;
    }
}
