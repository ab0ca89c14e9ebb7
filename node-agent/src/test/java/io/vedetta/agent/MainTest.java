package io.vedetta.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path configFile(String yaml) throws IOException {
        Path file = dir.resolve("vedetta.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level key         | htpp: {port: 9102}                                   | htpp
            unknown nested key            | http: {prot: 9102}                                   | http.prot
            wrong type for a port         | http: {port: abc}                                    | http.port
            port out of range             | http: {port: 70000}                                  | http.port
            wrong type for a flag         | kubernetes: {enabled: maybe}                         | kubernetes.enabled
            section that is not a mapping | logs: 3                                              | logs
            invalid URL                   | elasticsearch: {urls: ['not a url']}                 | elasticsearch.urls[0]
            URL that is not http          | elasticsearch: {urls: ['ftp://es:9200']}             | elasticsearch.urls[0]
            bad duration                  | kubernetes: {deletionGrace: 2 minutes}               | kubernetes.deletionGrace
            unknown enum value            | logging: {format: xml}                               | logging.format
            list of the wrong kind        | logs: {paths: {a: b}}                                | logs.paths
            invalid regex                 | logs: {multiline: {mode: regex, startPattern: '(['}} | logs.multiline.startPattern
            regex mode without a pattern  | logs: {multiline: {mode: regex}}                     | logs.multiline.startPattern
            line limit too small          | logs: {maxLineBytes: 10}                             | logs.maxLineBytes
            unknown sink type             | logs: {sink: {type: kafka}}                          | logs.sink.type
            """)
    void badConfigExitsOneNamingTheSetting(String kind, String yaml, String setting) throws IOException {
        int code = run(Map.of("NODE_NAME", "node-a"), "--check-config", "--config", configFile(yaml).toString());

        assertEquals(1, code, kind);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("`" + setting + "`"), kind + ": message should name " + setting + ": " + message);
        assertTrue(message.contains("Fix:"), kind + ": message should say how to fix it: " + message);
    }

    @Test
    void missingNodeNameWithKubernetesOnExitsOneNamingNodeName() throws IOException {
        int code = run(Map.of(), "--check-config", "--config", configFile("http: {port: 9102}").toString());

        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("kubernetes.nodeName") && message.contains("NODE_NAME"), message);
    }

    @Test
    void missingNodeNameIsFineInStandaloneMode() throws IOException {
        int code = run(Map.of(), "--check-config", "--config", configFile("kubernetes: {enabled: false}").toString());

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void invalidYamlNamesTheLine() throws IOException {
        int code = run(Map.of("NODE_NAME", "n"), "--check-config", "--config", configFile("http:\n  port: [1,\n").toString());

        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("line"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingConfigFileExitsOne() {
        int code = run(Map.of("NODE_NAME", "n"), "--check-config", "--config", dir.resolve("absent.yaml").toString());

        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"));
    }

    @Test
    void validConfigPassesCheck() throws IOException {
        int code = run(Map.of("NODE_NAME", "node-a"), "--check-config", "--config", configFile("""
                http:
                  port: 9200
                kubernetes:
                  deletionGrace: 60s
                elasticsearch:
                  urls: ["https://es-1:9200", "https://es-2:9200"]
                logging:
                  format: text
                """).toString());

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("configuration is valid"));
    }

    @Test
    void unknownArgumentIsAUsageError() {
        assertEquals(2, run(Map.of(), "--frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage:"));
    }

    @Test
    void versionAndHelpExitZero() {
        assertEquals(0, run(Map.of(), "--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("vedetta-agent "));
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--check-config"));
    }
}
