package io.vedetta.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The rule files and dashboards as their owners keep them (alert-rules/, dashboards/) and as the chart
 * carries them (helm/vedetta/files/), each keyed by the file name the chart uses. Files are recognised by
 * content, so promtool tests, Alertmanager examples and schemas beside them are never mistaken for either.
 */
final class SourceFiles {

    static final Path RULES = Chart.REPO.resolve("alert-rules");
    static final Path DASHBOARDS = Chart.REPO.resolve("dashboards");
    static final Path CHART_RULES = Chart.DIR.resolve("files/rules");
    static final Path CHART_DASHBOARDS = Chart.DIR.resolve("files/dashboards");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SourceFiles() {
    }

    /** Prometheus rule files under alert-rules/ (a mapping with {@code groups}), named *.yaml as the chart globs. */
    static Map<String, String> ruleFiles() {
        return collect(RULES, name -> name.endsWith(".yaml") || name.endsWith(".yml"),
                tree -> tree.isObject() && tree.path("groups").isArray(), Rendered.YAML, ".yaml");
    }

    /** Grafana dashboards under dashboards/ (a JSON object with {@code panels}). */
    static Map<String, String> dashboards() {
        return collect(DASHBOARDS, name -> name.endsWith(".json"),
                tree -> tree.isObject() && tree.path("panels").isArray(), JSON, ".json");
    }

    /** The files a chart directory holds (hidden files such as .gitkeep aside). */
    static Map<String, String> chartFiles(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().startsWith(".")) {
                    files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static JsonNode yaml(String text) {
        try {
            return Rendered.YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> collect(Path root, Predicate<String> name, Predicate<JsonNode> content,
            ObjectMapper mapper, String chartSuffix) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> !skipped(root, f)).sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!name.test(fileName)) {
                    continue;
                }
                String text = Files.readString(file);
                if (!content.test(mapper.readTree(text))) {
                    continue;
                }
                String chartName = fileName.substring(0, fileName.lastIndexOf('.')) + chartSuffix;
                if (files.put(chartName, text) != null) {
                    throw new AssertionError("two files under " + root + " would both be " + chartName
                            + " in the chart; give them distinct names");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Build output, installed tools and hidden directories are not sources. */
    private static boolean skipped(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            String segment = part.toString();
            if (segment.equals("target") || segment.equals("node_modules") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
