package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.vedetta.testkit.AlertingSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The objects {@code helm template} renders for a values file, exactly as written (Jackson trees of the YAML), so
 * that the pod runner sees every field the chart sets, including the ones it does not support.
 */
public final class RenderedChart {

    public static final String RELEASE = "vedetta";
    public static final String NAMESPACE = "monitoring";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final String text;
    private final List<JsonNode> objects;

    private RenderedChart(String text, List<JsonNode> objects) {
        this.text = text;
        this.objects = objects;
    }

    /** The repository's chart, {@code helm/vedetta}. */
    public static Path chartDir() {
        return AlertingSetup.repo().resolve("helm/vedetta");
    }

    /** A {@code ci/<name>-values.yaml} scenario of the chart. */
    public static Path scenario(String name) {
        return chartDir().resolve("ci").resolve(name + "-values.yaml");
    }

    /** Renders like {@code helm template vedetta helm/vedetta -n monitoring [-f valuesFile] [--set k=v ...]}. */
    public static RenderedChart render(Path valuesFile, Map<String, ?> sets) {
        return render(valuesFile == null ? List.of() : List.of(valuesFile), sets);
    }

    /** As {@link #render(Path, Map)} with several values files, later ones winning (lists are replaced whole). */
    public static RenderedChart render(List<Path> valuesFiles, Map<String, ?> sets) {
        return parse(template(chartDir(), valuesFiles, sets));
    }

    /** The text {@code helm template} writes for {@code chartDir} in release {@link #RELEASE}, namespace {@link #NAMESPACE}. */
    public static String template(Path chartDir, List<Path> valuesFiles, Map<String, ?> sets) {
        TemplateCommand template = new Helm(chartDir).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path valuesFile : valuesFiles) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, ?> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return template.call();
    }

    static RenderedChart parse(String text) {
        List<JsonNode> objects = new ArrayList<>();
        for (String document : SEPARATOR.split(text)) {
            if (document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#"))) {
                try {
                    objects.add(YAML.readTree(document));
                } catch (IOException e) {
                    throw new UncheckedIOException("helm rendered a document that is not YAML:\n" + document, e);
                }
            }
        }
        return new RenderedChart(text, List.copyOf(objects));
    }

    public String text() {
        return text;
    }

    public List<JsonNode> objects() {
        return objects;
    }

    public List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** The one DaemonSet the chart renders: the agent. */
    public JsonNode daemonSet() {
        List<JsonNode> found = ofKind("DaemonSet");
        if (found.size() != 1) {
            throw new IllegalStateException("expected one DaemonSet in the rendered chart but got " + found.size());
        }
        return found.get(0);
    }

    public Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }
}
