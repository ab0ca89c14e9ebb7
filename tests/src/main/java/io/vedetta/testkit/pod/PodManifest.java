package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod to run and the objects it may refer to (the ConfigMaps, Secrets and Services of its namespace): the pod a
 * DaemonSet makes from its template, named as the controller names it, or a Pod manifest written out in a test.
 */
public record PodManifest(String name, String namespace, JsonNode template, List<JsonNode> objects) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUFFIX_LETTERS = "bcdfghjklmnpqrstvwxz2456789";

    /** The agent's pod from the chart's DaemonSet, with every object the chart rendered. */
    public static PodManifest of(RenderedChart chart) {
        JsonNode daemonSet = chart.daemonSet();
        JsonNode metadata = daemonSet.path("metadata");
        return new PodManifest(metadata.path("name").asText() + "-" + suffix(), metadata.path("namespace").asText(),
                daemonSet.path("spec").path("template"), chart.objects());
    }

    /** A Pod manifest (kind Pod, in YAML), for tests of the runner itself. */
    public static PodManifest parse(String podYaml) {
        try {
            JsonNode pod = YAML.readTree(podYaml);
            if (!"Pod".equals(pod.path("kind").asText())) {
                throw new IllegalArgumentException("expected a manifest of kind Pod but got " + pod.path("kind"));
            }
            return new PodManifest(pod.path("metadata").path("name").asText(),
                    pod.path("metadata").path("namespace").asText("default"), pod, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same pod with {@code more} objects (a Secret managed outside the chart, say) beside its own. */
    public PodManifest with(JsonNode... more) {
        List<JsonNode> all = new ArrayList<>(objects);
        all.addAll(List.of(more));
        return new PodManifest(name, namespace, template, List.copyOf(all));
    }

    /** An object written in YAML, for {@link #with}. */
    public static JsonNode object(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Five characters as the DaemonSet controller's generated names end with (no vowels, no look-alikes). */
    private static String suffix() {
        StringBuilder out = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            out.append(SUFFIX_LETTERS.charAt(RANDOM.nextInt(SUFFIX_LETTERS.length())));
        }
        return out.toString();
    }
}
