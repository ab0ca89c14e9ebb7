package io.vedetta.agent.scrape;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One endpoint to scrape: its URL and the labels its series get, as target relabelling left them ({@code __}
 * labels gone, {@code instance} set). Two targets are the same target exactly when their URLs and labels are equal:
 * a pod whose labels change becomes a new target, as in Prometheus.
 */
public record ScrapeTarget(URI url, Map<String, String> labels, Duration interval, Duration timeout, String podUid) {

    public ScrapeTarget {
        labels = new TreeMap<>(labels);
    }

    /** What identifies the target: its URL and labels. */
    public String key() {
        return url + " " + labels;
    }

    /** For logs: {@code namespace/pod url}. */
    public String describe() {
        String pod = labels.getOrDefault("pod", "");
        return (pod.isEmpty() ? "" : labels.getOrDefault("namespace", "") + "/" + pod + " ") + url;
    }
}
