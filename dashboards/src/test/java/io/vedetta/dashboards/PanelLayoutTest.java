package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PanelLayoutTest {

    @Test
    void panelIdsAreUniqueAndPanelsDoNotOverlap() {
        for (Dashboard dashboard : Repo.dashboards()) {
            assertEquals(List.of(), PanelLayout.problems(dashboard), dashboard.file());
        }
    }

    @Test
    void repeatedIdsOverlapsAndPanelsOffTheGridAreFound() throws IOException {
        Dashboard dashboard = new Dashboard("fixture.json", new ObjectMapper().readTree("""
                {"panels": [
                  {"id": 1, "title": "a", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
                  {"id": 2, "title": "b", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}},
                  {"id": 2, "title": "c", "gridPos": {"x": 6, "y": 7, "w": 6, "h": 8}},
                  {"id": 4, "title": "d", "gridPos": {"x": 20, "y": 20, "w": 6, "h": 8}}
                ]}"""));

        List<String> problems = PanelLayout.problems(dashboard);

        assertEquals(3, problems.size(), problems.toString());
        assertEquals("panel \"c\" has a missing or repeated id 2", problems.get(0));
        assertEquals("panel 4 lies outside the grid: {\"x\":20,\"y\":20,\"w\":6,\"h\":8}", problems.get(1));
        assertEquals("panels 1 and 2 overlap: {\"x\":0,\"y\":0,\"w\":12,\"h\":8} {\"x\":6,\"y\":7,\"w\":6,\"h\":8}", problems.get(2));
    }
}
