package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesNamesTest {

    @Test
    void findsMetricNamesButNotFunctionsAggregationsOrLabelLists() {
        assertEquals(Set.of("node_load1", "node_cpu_seconds_total"), SeriesNames.in(
                "node_load1{job=\"vedetta\"} / on (node) group_left(cpu) count by (node) (node_cpu_seconds_total{mode=\"idle\"})"));
    }

    @Test
    void ignoresLabelNamesAndValuesStringsDurationsNumbersAndKeywords() {
        assertEquals(Set.of("a_total", "b_bytes"), SeriesNames.in(
                "sum without (instance) (rate(a_total{reason=~\"x|y\", other!='z'}[5m] offset 1h)) > bool 1e3 "
                        + "or label_replace(b_bytes, \"ns\", \"$1\", \"file\", \".*/([^_]+)_.*\") unless on() vector(0)"));
    }

    @Test
    void findsTheNameOfASummaryPart() {
        assertEquals(Set.of("jvm_gc_pause_seconds_sum"), SeriesNames.in("rate(jvm_gc_pause_seconds_sum[1m])"));
    }
}
