package io.vedetta.kubeprometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kubernetes-mixin's and node-mixin's rules as kube-prometheus renders them, with their selectors rewritten as
 * the mixin settings the README gives for Vedetta would render them:
 * {@code cadvisorSelector: 'job="vedetta", metrics_path="/metrics/cadvisor"'},
 * {@code kubeletSelector: 'job="vedetta", metrics_path="/metrics"'}, {@code kubeStateMetricsSelector: 'job="vedetta"'}
 * and {@code nodeExporterSelector: 'job="vedetta"'}. kube-prometheus' own settings differ from those only in the
 * job, so the rewrite is of the job matchers. Alerting rules get a {@code mixin} label, by which the end-to-end
 * Prometheus keeps their alerts from Alertmanager: they are loaded to be evaluated, not to page.
 */
public final class MixinRules {

    /** kube-prometheus' job of each selector, and the job it becomes. */
    static final Map<String, String> JOBS = Map.of(
            "job=\"kubelet\"", "job=\"vedetta\"",
            "job=\"kube-state-metrics\"", "job=\"vedetta\"",
            "job=\"node-exporter\"", "job=\"vedetta\"");

    private MixinRules() {
    }

    /** A rendered expression with Vedetta's selectors. */
    public static String forVedetta(String expr) {
        String out = expr;
        for (Map.Entry<String, String> job : JOBS.entrySet()) {
            out = out.replace(job.getKey(), job.getValue());
        }
        return out;
    }

    /** Writes the rewritten rule files into {@code dir} (Prometheus' rule file format); returns their paths. */
    public static List<Path> writeForVedetta(Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (String file : KubePrometheus.RULE_FILES) {
                ObjectNode out = KubePrometheus.YAML.createObjectNode();
                ArrayNode groups = out.putArray("groups");
                for (JsonNode group : KubePrometheus.read(file).path("spec").path("groups")) {
                    ObjectNode copy = group.deepCopy();
                    for (JsonNode rule : copy.path("rules")) {
                        ObjectNode r = (ObjectNode) rule;
                        r.put("expr", forVedetta(r.path("expr").asText()));
                        if (r.has("alert")) {
                            r.with("labels").put("mixin", file);
                        }
                    }
                    groups.add(copy);
                }
                Path target = dir.resolve(file);
                Files.writeString(target, KubePrometheus.YAML.writeValueAsString(out));
                files.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
