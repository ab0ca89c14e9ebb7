package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.dashboards.Dashboards;
import io.vedetta.dashboards.PanelQuery;
import io.vedetta.dashboards.QueriesNeedingEvents;
import io.vedetta.dashboards.TemplateVariables;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.ContainerLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every panel query of every dashboard, run against the real Prometheus that scrapes the running agent,
 * returns data, except the queries dashboards/queries-needing-events.yaml lists with the event they wait for.
 */
class DashboardQueriesEndToEndTest {

    /** Prometheus scrapes every second here, so a 10 s rate window holds enough samples within seconds. */
    private static final TemplateVariables VALUES = new TemplateVariables(Map.of(
            "datasource", "prometheus", "cluster", ".*", "node", E2eEnvironment.NODE, "namespace", ".*", "pod", ".*",
            "__rate_interval", "10s", "__interval", "5s", "__range", "1m"));

    private final E2eEnvironment env = E2eEnvironment.get();

    @Test
    void everyPanelQueryReturnsDataExceptThoseWaitingForAnEvent() throws InterruptedException {
        // A tailed file of a known pod, so that the per-file and per-namespace log panels have a series.
        Pod pod = env.node.addRunningPod("shop", "dashboards-5b7f", "dashboards", "app");
        ContainerLogs.appendCri(env.containerLogs.fileOf(pod, "app"), "stdout", "a line for the logs dashboard");

        Path dir = Dashboards.dir(AlertingSetup.repo());
        List<PanelQuery> all = Dashboards.queries(Dashboards.in(dir));
        QueriesNeedingEvents needingEvents = QueriesNeedingEvents.in(dir);
        Map<PanelQuery, String> waiting = new LinkedHashMap<>();
        all.stream().filter(q -> !needingEvents.covers(q)).forEach(q -> waiting.put(q, VALUES.substitute(q.expr())));
        assertTrue(waiting.size() > all.size() / 2, "most queries must be expected to return data");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            waiting.entrySet().removeIf(q -> !query(q.getKey(), q.getValue()).isEmpty());
            Thread.sleep(1000);
        }

        StringBuilder empty = new StringBuilder();
        waiting.forEach((q, expr) -> empty.append("\n  ").append(q.where()).append(": ").append(expr));
        assertEquals(0, waiting.size(), waiting.size() + " of " + all.size() + " panel queries returned no data within 60 s"
                + " (list a query in dashboards/" + QueriesNeedingEvents.FILE + " only if it needs an event):" + empty);
    }

    private com.fasterxml.jackson.databind.JsonNode query(PanelQuery query, String expr) {
        try {
            return env.prometheus.query(expr);
        } catch (IllegalStateException e) {
            throw new AssertionError(query.where() + " was rejected by Prometheus: " + e.getMessage(), e);
        }
    }
}
