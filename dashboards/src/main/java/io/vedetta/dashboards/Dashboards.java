package io.vedetta.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboards the project ships: every {@code *.json} directly under {@code dashboards/} but npm's own files. */
public final class Dashboards {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Dashboards() {
    }

    /** {@code dashboards/} of the repository at {@code repo}. */
    public static Path dir(Path repo) {
        return repo.resolve("dashboards");
    }

    public static List<Dashboard> in(Path dir) {
        List<Dashboard> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Dashboards::isDashboardFile).sorted().toList()) {
                dashboards.add(new Dashboard(file.getFileName().toString(), JSON.readTree(file.toFile())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboards in " + dir, e);
        }
        return dashboards;
    }

    public static List<PanelQuery> queries(List<Dashboard> dashboards) {
        return dashboards.stream().flatMap(d -> d.queries().stream()).toList();
    }

    private static boolean isDashboardFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && name.endsWith(".json") && !name.startsWith("package");
    }
}
