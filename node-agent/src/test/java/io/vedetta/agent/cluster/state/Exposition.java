package io.vedetta.agent.cluster.state;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A collector scraped as Prometheus reads it: each series (name and sorted labels) with its value. */
final class Exposition {

    private final Map<String, Double> series;
    final String text;

    private Exposition(String text) {
        this.text = text;
        this.series = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    static Exposition of(MultiCollector collector) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(out.toString(StandardCharsets.UTF_8));
    }

    /** The value of {@code series} as written, e.g. {@code kube_node_spec_unschedulable{node="a"}}; null if absent. */
    Double value(String series) {
        return this.series.get(series);
    }

    /** Every series of the family {@code name}, as {@link #value} keys them. */
    Map<String, Double> family(String name) {
        return series.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    boolean isEmpty() {
        return series.isEmpty();
    }
}
