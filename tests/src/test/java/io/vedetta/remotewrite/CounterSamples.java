package io.vedetta.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.testkit.PrometheusProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * What a remote-write receiver stored of a counter that a scraped application increments once per scrape it answers:
 * a sample lost on the way shows as a step of more than one, a time the agent was down as a gap in time.
 */
public final class CounterSamples {

    private CounterSamples() {
    }

    /** The raw samples of {@code selector} (one series) over {@code window} as [seconds, value]. */
    public static List<double[]> of(PrometheusProcess receiver, String selector, String window) {
        JsonNode result = receiver.rawSamples(selector, window);
        assertEquals(1, result.size(), result.toString());
        List<double[]> out = new ArrayList<>();
        for (JsonNode v : result.get(0).path("values")) {
            out.add(new double[] {v.get(0).asDouble(), Double.parseDouble(v.get(1).asText())});
        }
        return out;
    }

    /**
     * The counter went up by one from sample to sample: no scrape's sample was lost, except at most
     * {@code allowedLosses} (a scrape answered just before the agent was killed, not yet in its log).
     */
    public static void assertConsecutive(List<double[]> samples, int allowedLosses) {
        long lost = 0;
        for (int i = 1; i < samples.size(); i++) {
            double step = samples.get(i)[1] - samples.get(i - 1)[1];
            assertTrue(step >= 1, "the counter went from " + samples.get(i - 1)[1] + " to " + samples.get(i)[1]);
            lost += (long) step - 1;
        }
        assertTrue(lost <= allowedLosses, lost + " samples missing");
    }

    /** At most {@code allowed} times are consecutive samples more than {@code seconds} apart (the agent was down). */
    public static void assertGapsAtMost(List<double[]> samples, int allowed, double seconds) {
        long gaps = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i)[0] - samples.get(i - 1)[0] > seconds) {
                gaps++;
            }
        }
        assertTrue(gaps <= allowed, gaps + " gaps in time, more than the " + allowed + " expected");
    }

    /** Remote-write requests the receiver answered 400 (duplicate or out-of-order samples among them). */
    public static double refusedWrites(PrometheusProcess receiver) {
        double refused = 0;
        for (String line : receiver.get("/metrics").body().split("\n")) {
            if (line.startsWith("prometheus_http_requests_total") && line.contains("handler=\"/api/v1/write\"")
                    && line.contains("code=\"400\"")) {
                refused += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return refused;
    }
}
