package io.vedetta.agent.remotewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static byte[] merged(Map<String, String> series, Map<String, String> external) {
        ExternalLabels labels = new ExternalLabels(external);
        byte[] encoded = SeriesLabels.encode(series);
        int length = labels.mergedLength(encoded);
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
    void givesTheSameBytesAsEncodingTheMergedLabelsForAnyLabelSets() {
        Random random = new Random(20);
        for (int i = 0; i < 5_000; i++) {
            Map<String, String> series = randomLabels(random);
            Map<String, String> external = randomLabels(random);
            assertArrayEquals(expected(series, external), merged(series, external), series + " + " + external);
        }
    }

    private static Map<String, String> randomLabels(Random random) {
        Map<String, String> labels = new HashMap<>();
        for (String name : NAMES) {
            if (random.nextInt(3) == 0) {
                labels.put(name, random.nextInt(8) == 0 ? "" : "v".repeat(random.nextInt(200)) + "é");
            }
        }
        return labels;
    }
}
