package io.vedetta.helm;

import io.vedetta.testkit.pod.RenderedChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under helm/vedetta, rendered by Helm itself (helm-java bundles Helm 3 as a native library). */
final class Chart {

    static final Path REPO = Path.of(System.getProperty("vedetta.repo", "..")).toAbsolutePath().normalize();
    static final Path DIR = REPO.resolve("helm/vedetta");
    static final String RELEASE = RenderedChart.RELEASE;
    static final String NAMESPACE = RenderedChart.NAMESPACE;

    private Chart() {
    }

    /** The ci/*-values.yaml scenarios, each a values file that must render. */
    static List<Path> scenarios() {
        try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path scenario(String name) {
        return DIR.resolve("ci").resolve(name + "-values.yaml");
    }

    static Rendered render(Path valuesFile) {
        return render(DIR, valuesFile, Map.of());
    }

    static Rendered render(Map<String, Object> sets) {
        return render(DIR, null, sets);
    }

    /**
     * Renders with the hook objects (the bootstrap Job and its Secret and ConfigMap), which {@code helm template} as
     * helm-java runs it leaves out: a copy of the chart in {@code tmp} whose {@code helm.sh/hook*} annotations are
     * renamed {@code test.vedetta.io/hook*} is rendered instead, so they appear as ordinary objects carrying their
     * hook annotations under that name.
     */
    static Rendered renderWithHooks(Path tmp, Path valuesFile, Map<String, Object> sets) {
        Path copy = tmp.resolve("vedetta");
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(DIR.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (file.startsWith(DIR.resolve("templates"))) {
                    Files.writeString(target, Files.readString(file).replace("helm.sh/hook", Rendered.RENAMED_HOOK));
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return render(copy, valuesFile, sets);
    }

    /** Renders like {@code helm template vedetta CHART -n monitoring [-f valuesFile] [--set k=v...]}. */
    static Rendered render(Path chartDir, Path valuesFile, Map<String, Object> sets) {
        return Rendered.parse(RenderedChart.template(chartDir, valuesFile == null ? List.of() : List.of(valuesFile), sets));
    }
}
