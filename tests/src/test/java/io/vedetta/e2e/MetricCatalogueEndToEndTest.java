package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's metric catalogue against what a running agent really exposes. */
class MetricCatalogueEndToEndTest {

    private final E2eEnvironment env = E2eEnvironment.get();

    /**
     * Series the agent builds itself must each be catalogued by name. Series passed through from the kubelet
     * carry a {@code metrics_path} label; the README describes those per endpoint instead.
     */
    @Test
    void everyVedettaKubeNodeAndContainerSeriesTheAgentBuildsIsCatalogued() throws IOException {
        String readme = Files.readString(AlertingSetup.repo().resolve("README.md"));
        TreeSet<String> own = new TreeSet<>();
        TreeSet<String> passedThrough = new TreeSet<>();
        for (String line : Http.get(env.agent.url() + "/metrics").body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String name = line.split("[{ ]", 2)[0];
            (line.contains("metrics_path=\"") ? passedThrough : own).add(name);
        }
        List<String> missing = own.stream()
                .filter(name -> name.matches("(vedetta|kube|node|container)_.*"))
                .map(name -> name.replaceAll("_(bucket|count|sum|max)$", ""))
                .filter(name -> !readme.contains("`" + name + "`") && !readme.contains("`" + name.replaceAll("_total$", "") + "`"))
                .toList();

        assertTrue(own.size() > 50 && passedThrough.size() > 50, "too few series to be a real scrape: " + own);
        assertTrue(missing.isEmpty(), "README.md's catalogue lacks " + missing);
    }
}
