package io.vedetta.agent.metrics.kubelet;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vedetta.agent.metrics.FamilyNames;
import io.vedetta.agent.metrics.MetricSource;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.PassThroughFamily;
import io.vedetta.agent.metrics.SeriesFilter;
import io.vedetta.agent.metrics.ErrorReason;
import io.vedetta.agent.metrics.SourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A kubelet endpoint that serves the Prometheus text format ({@code /metrics/cadvisor}, {@code /metrics/resource},
 * {@code /metrics}), passed through with its names. Sample timestamps are dropped: the series are served as of
 * the agent's scrape, and a stale snapshot served again must not carry old timestamps. Its parser keeps the
 * endpoint's label sets from one scrape to the next; {@code SourceCollector} never runs two collections of one
 * source at once.
 */
public final class KubeletTextSource implements MetricSource {

    private final String name;
    private final String path;
    private final KubeletClient client;
    private final MetricsErrors errors;
    private final PrometheusTextParser parser;
    private final FamilyNames families;

    /**
     * @param families what the endpoint serves; families outside them are left out (and counted), so that a
     *     {@code name[]} filter that skips this source never misses one
     * @param relabel applied to every series' labels, e.g. {@link KubeletLabels#cadvisor}, and the
     *     {@code metrics_path} label
     */
    public KubeletTextSource(String name, String path, FamilyNames families, KubeletClient client,
            MetricsErrors errors, UnaryOperator<Labels> relabel) {
        this.name = name;
        this.families = families;
        this.path = path;
        this.client = client;
        this.errors = errors;
        this.parser = new PrometheusTextParser(relabel, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FamilyNames families() {
        return families;
    }

    @Override
    public MetricSnapshots collect() throws SourceException {
        return read(null).snapshots();
    }

    /**
     * Filters while parsing: rebuilding a full node's {@code container_*} families after the parse cost ~5 ms. Its
     * counters, gauges and untyped families are passed through as encoded series when the filters keep their labels.
     */
    @Override
    public SeriesFilter.Result collect(SeriesFilter.ForSource filter) throws SourceException {
        SeriesFilter.Result read = read(filter);
        return new SeriesFilter.Result(read.model(), read.passThrough(), filter.duplicates());
    }

    private SeriesFilter.Result read(SeriesFilter.ForSource filter) throws SourceException {
        PrometheusTextParser.Result result = client.get(path, in -> parser.read(in, filter));
        errors.skipped(name, ErrorReason.UNPARSABLE_LINE, result.skipped(), result.firstProblem());
        String example = null;
        int undeclared = 0;
        List<MetricSnapshot> kept = new ArrayList<>(result.model().size());
        for (MetricSnapshot family : result.model()) {
            if (families.contains(family.getMetadata().getPrometheusName())) {
                kept.add(family);
            } else {
                undeclared++;
                example = example != null ? example : undeclared(family.getMetadata().getPrometheusName());
            }
        }
        List<PassThroughFamily> passThrough = new ArrayList<>(result.passThrough().size());
        for (PassThroughFamily family : result.passThrough()) {
            if (families.contains(family.familyName())) {
                passThrough.add(family);
            } else {
                undeclared++;
                example = example != null ? example : undeclared(family.familyName());
            }
        }
        errors.skipped(name, ErrorReason.UNDECLARED_FAMILY, undeclared, example);
        return new SeriesFilter.Result(undeclared == 0 ? result.model() : new MetricSnapshots(kept), passThrough, 0);
    }

    private String undeclared(String family) {
        return family + " from " + path + ", which should serve only " + families;
    }
}
