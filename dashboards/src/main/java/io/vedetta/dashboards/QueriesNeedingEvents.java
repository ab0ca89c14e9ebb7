package io.vedetta.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dashboards/queries-needing-events.yaml}: the panel queries that may rightly return nothing until
 * something has happened (an OOM kill, a crash loop, an error) or until a source the end-to-end setup leaves
 * off is on, each with its reason. The end-to-end test expects data from every other query.
 */
public final class QueriesNeedingEvents {

    public static final String FILE = "queries-needing-events.yaml";

    /** One listed panel; {@code refIds} empty means every query of the panel. */
    public record Entry(String dashboard, String panel, List<String> refIds, String reason) {

        public boolean covers(PanelQuery query) {
            return query.dashboard().equals(dashboard) && query.panelTitle().equals(panel)
                    && (refIds.isEmpty() || refIds.contains(query.refId()));
        }
    }

    private final List<Entry> entries;

    private QueriesNeedingEvents(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static QueriesNeedingEvents in(Path dashboardsDir) {
        Path file = dashboardsDir.resolve(FILE);
        try {
            JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : tree.path("queries")) {
                List<String> refIds = new ArrayList<>();
                e.path("refIds").forEach(r -> refIds.add(r.asText()));
                entries.add(new Entry(e.path("dashboard").asText(), e.path("panel").asText(), refIds,
                        e.path("reason").asText()));
            }
            return new QueriesNeedingEvents(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean covers(PanelQuery query) {
        return entries.stream().anyMatch(e -> e.covers(query));
    }
}
