package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vedetta.kubeprometheus.PromQl;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every series a shipped alert rule names is one a running agent really exposes (so the rules work with Vedetta alone). */
class AlertRuleSeriesTest {

    /** Prometheus makes {@code up} itself for every target. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final E2eEnvironment env = E2eEnvironment.get();

    @Test
    void everySeriesNamedInARuleIsExposedByTheAgent() throws IOException {
        // The waiting and last-terminated series exist only while some container waits or has terminated.
        env.node.addRunningPod("shop", "rules-check-1", "rules-check", "main");
        env.node.crashLoop("shop", "rules-check-1");
        TreeMap<String, String> wanted = new TreeMap<>();
        try (Stream<Path> files = Files.list(AlertingSetup.repo().resolve("alert-rules/rules"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
                for (JsonNode group : rules.path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        for (String name : PromQl.metricNames(rule.path("expr").asText())) {
                            wanted.putIfAbsent(name, rule.path("alert").asText() + " in " + file.getFileName());
                        }
                    }
                }
            }
        }
        assertTrue(wanted.size() > 15, "the tokenizer found too few names to be right: " + wanted.keySet());

        List<String>[] missing = new List[1];
        boolean all = Http.await(Duration.ofSeconds(30), () -> {
            Set<String> exposed = exposedSeries();
            missing[0] = wanted.entrySet().stream()
                    .filter(e -> !FROM_PROMETHEUS.contains(e.getKey()) && !exposed.contains(e.getKey()))
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
            return missing[0].isEmpty();
        });
        assertTrue(all, "rules name series the agent does not expose: " + missing[0]);
    }

    private Set<String> exposedSeries() {
        Set<String> names = new TreeSet<>();
        for (String line : Http.get(env.agent.url() + "/metrics").body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                Matcher m = IDENTIFIER.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }
}
