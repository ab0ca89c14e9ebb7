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

    @Test
    void everyVedettaKubeNodeAndContainerFamilyTheAgentExposesIsCatalogued() throws IOException {
        String readme = Files.readString(AlertingSetup.repo().resolve("README.md"));
        TreeSet<String> families = new TreeSet<>();
        for (String line : Http.get(env.agent.url() + "/metrics").body().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
            }
        }
        List<String> missing = families.stream()
                .filter(f -> f.matches("(vedetta|kube|node|container)_.*"))
                .filter(f -> !readme.contains("`" + f + "`") && !readme.contains("`" + f + "_total`"))
                .toList();

        assertTrue(families.size() > 50, "too few families to be a real scrape: " + families);
        assertTrue(missing.isEmpty(), "README.md's catalogue lacks " + missing);
    }
}
