package io.vedetta.helm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** After `helm install` the user is told where the metrics and the logs go. */
class ChartNotesTest {

    @Test
    void notesNameTheMetricsServiceAndTheElasticsearchNodes() {
        String notes = notes(Chart.scenario("elasticsearch-basic-auth"));

        assertTrue(notes.contains("vedetta.monitoring:9102"), notes);
        assertTrue(notes.contains("curl -s localhost:9102/metrics"), notes);
        assertTrue(notes.contains("go to Elasticsearch at https://es-0.logging.svc:9200, https://es-1.logging.svc:9200"
                + " with basic auth from Secret vedetta-es-credentials"), notes);
    }

    @Test
    void notesSayWhenLogsAreOff() {
        String notes = notes(Chart.scenario("logs-off"));

        assertTrue(notes.contains("Logs:\n  off"), notes);
    }

    private static String notes(Path values) {
        InstallCommand install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withValuesFile(values).dryRun().clientOnly();
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }
}
