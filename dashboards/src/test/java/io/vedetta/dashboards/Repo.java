package io.vedetta.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository under test, as the build passes it (surefire's {@code vedetta.repo}). */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("vedetta.repo", "..")).toAbsolutePath().normalize();
    static final Path DASHBOARDS = Dashboards.dir(ROOT);

    private Repo() {
    }

    static List<Dashboard> dashboards() {
        List<Dashboard> dashboards = Dashboards.in(DASHBOARDS);
        if (dashboards.isEmpty() || !Files.isRegularFile(ROOT.resolve("README.md"))) {
            throw new IllegalStateException("no dashboards or README.md under " + ROOT);
        }
        return dashboards;
    }
}
