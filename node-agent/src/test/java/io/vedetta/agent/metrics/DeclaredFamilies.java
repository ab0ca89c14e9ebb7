package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;

/** The check that a source's {@link MetricSource#families()} leaves out none of the families it serves. */
public final class DeclaredFamilies {

    private DeclaredFamilies() {
    }

    /** Every family of {@code collected} is declared by {@code source}, and a name[] asking for it collects it. */
    public static void assertDeclared(MetricSource source, MetricSnapshots collected) {
        assertFalse(collected.size() == 0, source.name() + " served nothing to check");
        List<String> undeclared = collected.stream()
                .map(family -> family.getMetadata().getPrometheusName())
                .filter(name -> !source.families().contains(name)
                        || !source.families().couldServe(new RequestedNames(List.of(name))))
                .toList();
        assertEquals(List.of(), undeclared, source.name() + " serves families it does not declare ("
                + source.families() + ")");
        for (MetricSnapshot family : collected) {
            String exposed = family.getMetadata().getPrometheusName()
                    + (family instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot ? "_total" : "");
            assertEquals(true, source.families().couldServe(new RequestedNames(List.of(exposed))),
                    "name[]=" + exposed + " would skip " + source.name());
        }
    }
}
