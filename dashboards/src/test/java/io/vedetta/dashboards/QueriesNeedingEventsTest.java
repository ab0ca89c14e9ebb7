package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueriesNeedingEventsTest {

    @Test
    void everyListedQueryExistsAndSaysWhyItMayBeEmpty() {
        List<PanelQuery> queries = Dashboards.queries(Repo.dashboards());
        QueriesNeedingEvents listed = QueriesNeedingEvents.in(Repo.DASHBOARDS);

        assertTrue(listed.entries().size() > 0);
        for (QueriesNeedingEvents.Entry entry : listed.entries()) {
            assertTrue(entry.reason().length() > 20, "say why: " + entry);
            List<PanelQuery> covered = queries.stream().filter(entry::covers).toList();
            assertTrue(!covered.isEmpty(), QueriesNeedingEvents.FILE + " names a query no dashboard has: " + entry);
            assertEquals(entry.refIds().isEmpty() ? covered.size() : entry.refIds().size(), covered.size(), entry.toString());
        }
        assertTrue(queries.stream().filter(q -> !listed.covers(q)).count() > queries.size() / 2,
                "most queries must be expected to return data end to end");
    }
}
