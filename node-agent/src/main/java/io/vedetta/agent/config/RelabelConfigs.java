package io.vedetta.agent.config;

import io.vedetta.agent.relabel.RelabelRule;
import io.vedetta.agent.relabel.Relabeling;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a list of relabelling rules written in Prometheus' syntax ({@code source_labels}, {@code separator},
 * {@code regex}, {@code modulus}, {@code target_label}, {@code replacement}, {@code action}), so rules are pasted from
 * a Prometheus configuration as they are. A rule Prometheus would refuse is a configuration error naming the rule.
 */
final class RelabelConfigs {

    private static final String FIX = "write it as Prometheus' relabel_config"
            + " (https://prometheus.io/docs/prometheus/2.42/configuration/configuration/#relabel_config)";

    private RelabelConfigs() {
    }

    static Relabeling from(ConfigNode parent, String key) {
        List<RelabelRule> rules = new ArrayList<>();
        for (ConfigNode rule : parent.opaqueList(key)) {
            RelabelRule.Written written = new RelabelRule.Written(
                    rule.stringList("source_labels", null),
                    rule.optionalString("separator").orElse(null),
                    rule.optionalString("regex").orElse(null),
                    modulus(rule),
                    rule.optionalString("target_label").orElse(null),
                    rule.optionalString("replacement").orElse(null),
                    rule.optionalString("action").orElse(null));
            try {
                rules.add(RelabelRule.of(written));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(rule.path(), e.getMessage(), FIX);
            }
        }
        return new Relabeling(rules);
    }

    private static Long modulus(ConfigNode rule) {
        long modulus = rule.longValue("modulus", 0, 0, Long.MAX_VALUE);
        return modulus == 0 ? null : modulus;
    }
}
