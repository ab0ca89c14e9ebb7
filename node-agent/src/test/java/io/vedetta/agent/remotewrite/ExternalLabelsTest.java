package io.vedetta.agent.remotewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.agent.protobuf.ProtoWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExternalLabelsTest {

    private static final List<String> NAMES = List.of("__name__", "a", "agent", "cluster", "container", "instance",
            "job", "namespace", "node", "pod", "z", "zz_long_label_name_beyond_one_varint_byte_" + "x".repeat(120));

    /**
     * What the labels sent must be: the external labels added where the series' labels, as the log holds them (no
     * empty values), lack them; encoded as one set.
     */
    private static byte[] expected(Map<String, String> series, Map<String, String> external) {
        Map<String, String> merged = new HashMap<>(SeriesLabels.decode(SeriesLabels.encode(series)));
        external.forEach(merged::putIfAbsent);
        return SeriesLabels.encode(merged);
    }

    /** The labels merged while searched, and merged by their plan (when they have one): both must be the same. */
    private static byte[] merged(Map<String, String> series, Map<String, String> external) {
        ExternalLabels labels = new ExternalLabels(external);
        byte[] encoded = SeriesLabels.encode(series);
        byte[] searched = merged(labels, encoded, ExternalLabels.UNPLANNED);
        int plan = labels.plan(encoded);
        if (plan != ExternalLabels.UNPLANNED) {
            assertArrayEquals(searched, merged(labels, encoded, plan), "merged by plan " + Integer.toHexString(plan));
        }
        return searched;
    }

    private static byte[] merged(ExternalLabels labels, byte[] encoded, int plan) {
        int length = labels.mergedLength(encoded, plan);
        ProtoWriter out = new ProtoWriter(16);
        labels.write(out, encoded);
        assertEquals(out.size(), length, "the length announced");
        return out.toByteArray();
    }

    @Test
    void mergesEachExternalLabelInItsPlaceUnlessTheSeriesHasIt() {
        Map<String, String> series = Map.of("__name__", "up", "job", "app", "node", "n1");
        Map<String, String> external = Map.of("agent", "vedetta", "node", "other", "zone", "z1");
        assertArrayEquals(expected(series, external), merged(series, external));
        assertEquals("{__name__=\"up\", agent=\"vedetta\", job=\"app\", node=\"n1\", zone=\"z1\"}",
                SeriesLabels.toString(merged(series, external)));
    }

    @Test
    void leavesOutExternalLabelsWithAnEmptyValueAsEncodingDoes() {
        Map<String, String> series = Map.of("__name__", "up");
        Map<String, String> external = Map.of("cluster", "", "node", "n1");
        assertArrayEquals(expected(series, external), merged(series, external));
    }

    @Test
    void plansOneOrTwoExternalLabelsAndSearchesForMore() {
        byte[] series = SeriesLabels.encode(Map.of("__name__", "up", "node", "n1"));
        assertTrue(new ExternalLabels(Map.of("agent", "a", "node", "n")).plan(series) >= 0);
        assertEquals(ExternalLabels.UNPLANNED, new ExternalLabels(Map.of("a", "1", "b", "2", "c", "3")).plan(series));
    }

    @Test
    void givesTheSameBytesAsEncodingTheMergedLabelsForAnyLabelSets() {
        Random random = new Random(20);
        for (int i = 0; i < 5_000; i++) {
            Map<String, String> series = randomLabels(random);
            Map<String, String> external = randomLabels(random);
            assertArrayEquals(expected(series, external), merged(series, external), series + " + " + external);
        }
    }

    /** Sets of every size, so that both planned merges (up to two external labels) and searched ones are tried. */
    private static Map<String, String> randomLabels(Random random) {
        Map<String, String> labels = new HashMap<>();
        int odds = 2 + random.nextInt(6);
        for (String name : NAMES) {
            if (random.nextInt(odds) == 0) {
                labels.put(name, random.nextInt(8) == 0 ? "" : "v".repeat(random.nextInt(200)) + "é");
            }
        }
        return labels;
    }
}
