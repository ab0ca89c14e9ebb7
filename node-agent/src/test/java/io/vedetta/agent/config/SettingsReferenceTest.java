package io.vedetta.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vedetta.agent.ReadmeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The settings the loader accepts are the ones the README's configuration reference and the chart's
 * {@code values.schema.json} ({@code config}) list: the loader is the source, read by loading a config that makes it
 * read every section, so a setting added to a reader and forgotten in either document fails here, and so does a
 * documented setting the loader would refuse.
 */
class SettingsReferenceTest {

    private static final Path REPO = Path.of("..");
    /** Sections read only when present are present; per-source timeouts are a free mapping. */
    private static final String EVERY_SECTION = """
            kubernetes: {enabled: false}
            logs:
              forward: {host: fluentd}
            metrics:
              sources:
                timeouts: {cadvisor: 5s}
            """;

    static Set<String> acceptedByTheLoader() throws IOException {
        ConfigNode root = ConfigNode.root(new ObjectMapper(new YAMLFactory()).readTree(EVERY_SECTION));
        AgentConfig.from(root, Map.of());
        return root.settingsRead();
    }

    /** The first column of the tables in README's "Configuration reference", placeholders as {@code <name>}. */
    static Set<String> inTheReadme(String readme) {
        Set<String> settings = new TreeSet<>();
        ReadmeTables.firstColumn(readme, "Configuration reference")
                .forEach(name -> settings.add(name.replaceAll("<[^>]+>", "<name>")));
        return settings;
    }

    /** Every leaf of the schema's {@code config} block; a mapping of free names is {@code <name>}. */
    static Set<String> inTheSchema(JsonNode schema) {
        Set<String> settings = new TreeSet<>();
        leaves(schema.path("properties").path("config"), "", settings);
        return settings;
    }

    private static void leaves(JsonNode node, String path, Set<String> out) {
        JsonNode properties = node.path("properties");
        if (properties.isObject() && properties.size() > 0) {
            properties.fields().forEachRemaining(p -> leaves(p.getValue(),
                    path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out));
        } else if (node.path("additionalProperties").isObject()) {
            out.add(path + ".<name>");
        } else {
            out.add(path);
        }
    }

    @Test
    void readmeListsExactlyTheSettingsTheLoaderAccepts() throws IOException {
        Set<String> loader = acceptedByTheLoader();
        Set<String> readme = inTheReadme(Files.readString(REPO.resolve("README.md")));

        assertEquals(Set.of(), difference(loader, readme), "settings the README's configuration reference lacks");
        assertEquals(Set.of(), difference(readme, loader), "settings the README documents and the loader refuses");
    }

    @Test
    void chartSchemaListsExactlyTheSettingsTheLoaderAccepts() throws IOException {
        Set<String> loader = acceptedByTheLoader();
        Set<String> schema = inTheSchema(new ObjectMapper().readTree(
                REPO.resolve("helm/vedetta/values.schema.json").toFile()));

        assertEquals(Set.of(), difference(loader, schema), "settings values.schema.json's config block lacks");
        assertEquals(Set.of(), difference(schema, loader), "settings values.schema.json allows and the loader refuses");
    }

    @Test
    void readsTheDocumentsTheWayTheyAreWritten() {
        String readme = """
                ## Configuration reference

                Unknown keys are errors; `prose` is not a setting.

                | setting | default | meaning |
                |---|---|---|
                | `a.b` | `1` | one, not `c.d` |
                | `a.c` / `a.d` | `true` / `false` | two |
                | `m.timeouts.<source>` | `m.timeout` | a mapping |

                ## Endpoints

                | `elsewhere` | x |
                """;
        assertEquals(Set.of("a.b", "a.c", "a.d", "m.timeouts.<name>"), inTheReadme(readme));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
