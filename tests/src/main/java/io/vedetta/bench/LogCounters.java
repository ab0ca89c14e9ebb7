package io.vedetta.bench;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log shipper's counters at one moment, read from the agent's own {@code /metrics} (only the families named,
 * so that reading them costs the agent little), and what changed between two moments.
 */
record LogCounters(double spilled, double retried, double rotationsSeen, double latencyCount, double latencySum,
        Map<Double, Double> latencyBuckets) {

    private static final String LATENCY = "vedetta_log_delivery_latency_seconds";
    private static final String SPILLED = "vedetta_log_buffer_spilled_total";
    private static final String RETRIED = "vedetta_log_es_items_retried_total";
    private static final String ROTATED = "vedetta_log_files_rotated_total";
    private static final Pattern BUCKET = Pattern.compile("^" + LATENCY + "_bucket\\{le=\"([^\"]+)\"} (\\S+)", Pattern.MULTILINE);

    static LogCounters of(AgentProcess agent) {
        String text = Http.get(agent.url() + "/metrics?name%5B%5D=" + LATENCY + "&name%5B%5D=" + SPILLED
                + "&name%5B%5D=" + RETRIED + "&name%5B%5D=" + ROTATED).body();
        Map<Double, Double> buckets = new TreeMap<>();
        Matcher m = BUCKET.matcher(text);
        while (m.find()) {
            buckets.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)));
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("the agent's /metrics has no " + LATENCY + " buckets");
        }
        return new LogCounters(sum(text, SPILLED), sum(text, RETRIED), sum(text, ROTATED),
                sum(text, LATENCY + "_count"), sum(text, LATENCY + "_sum"), buckets);
    }

    /** The sum over every series of one name (labelled or not); 0 when it has none yet. */
    private static double sum(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** What was counted from {@code earlier} to this moment. */
    LogCounters since(LogCounters earlier) {
        Map<Double, Double> buckets = new TreeMap<>();
        latencyBuckets.forEach((le, n) -> buckets.put(le, n - earlier.latencyBuckets.getOrDefault(le, 0.0)));
        return new LogCounters(spilled - earlier.spilled, retried - earlier.retried,
                rotationsSeen - earlier.rotationsSeen, latencyCount - earlier.latencyCount,
                latencySum - earlier.latencySum, buckets);
    }

    double meanLatencySeconds() {
        return latencyCount == 0 ? Double.NaN : latencySum / latencyCount;
    }

    /** The upper bound of the bucket that holds the {@code q} quantile: at most this many seconds. */
    double latencyUpperBound(double q) {
        double rank = q * latencyCount;
        for (Map.Entry<Double, Double> bucket : latencyBuckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
