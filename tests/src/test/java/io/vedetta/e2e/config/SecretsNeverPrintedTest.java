package io.vedetta.e2e.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentCommand;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Credentials in URLs and credential files, through the packaged agent's output: refused and never quoted in config
 * errors, and a warning at start when they would travel over plain HTTP.
 */
class SecretsNeverPrintedTest {

    private static final String SECRET = "hunter2-Sup3rSecret";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an Elasticsearch URL with an underscore in the host | elasticsearch: {urls: ['http://elastic:hunter2-Sup3rSecret@es_node:9200']} | elasticsearch.urls[0]
            an Elasticsearch URL with a wrong scheme            | elasticsearch: {urls: ['ftp://elastic:hunter2-Sup3rSecret@es:9200']}     | elasticsearch.urls[0]
            an Elasticsearch URL with a space                   | elasticsearch: {urls: ['http://elastic:hunter2-Sup3rSecret @es:9200']}   | elasticsearch.urls[0]
            a valid Elasticsearch URL with credentials          | elasticsearch: {urls: ['https://elastic:hunter2-Sup3rSecret@es:9200']}   | elasticsearch.urls[0]
            credentials in the second Elasticsearch URL         | elasticsearch: {urls: ['https://es-0:9200', 'https://u:hunter2-Sup3rSecret@es-1:9200']} | elasticsearch.urls[1]
            a password holding a slash                          | elasticsearch: {urls: ['https://elastic:hunter2/Sup3rSecret@es:9200']}   | elasticsearch.urls[0]
            a kubelet URL with credentials                      | metrics: {kubelet: {enabled: true, url: 'https://admin:hunter2-Sup3rSecret@10.0.0.1:10250'}} | metrics.kubelet.url
            an API server URL with credentials                  | kubernetes: {apiServer: 'https://admin:hunter2-Sup3rSecret@10.0.0.1:6443'} | kubernetes.apiServer
            """)
    void aUrlWithCredentialsIsRefusedWithoutQuotingThem(String what, String yaml, String setting) throws Exception {
        String config = yaml.startsWith("kubernetes:") ? yaml.replace("kubernetes: {", "kubernetes: {enabled: false, ")
                : "kubernetes: {enabled: false}\n" + yaml;

        AgentCommand.Result result = AgentCommand.run(dir, config, Map.of(), "--check-config");

        assertEquals(1, result.exit(), what + ": " + result.output());
        assertTrue(result.output().contains("invalid setting `" + setting + "`"), what + ": " + result.output());
        assertTrue(result.output().contains("***@"), what + ": the URL is quoted with its user info hidden: "
                + result.output());
        assertFalse(result.output().contains("hunter2") || result.output().contains("Sup3rSecret"),
                what + ": " + result.output());
    }

    @Test
    void aYamlErrorNearACredentialDoesNotQuoteTheLine() throws Exception {
        AgentCommand.Result result = AgentCommand.run(dir, "elasticsearch:\n  urls: [http://elastic:" + SECRET
                + "@es:9200\n", Map.of(), "--check-config");

        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("is not valid YAML at line"), result.output());
        assertFalse(result.output().contains("hunter2"), "not even the start of the secret: " + result.output());
    }

    @Test
    void credentialsAndTokensBoundForPlainHttpAreWarnedAboutAtStart() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), SECRET + "\n");
        Path token = Files.writeString(dir.resolve("token"), "kubelet-" + SECRET);
        int nothing = Ports.free();
        try (AgentProcess agent = AgentProcess.start(dir.resolve("agent"), """
                kubernetes:
                  apiServer: http://127.0.0.1:%1$d
                logs:
                  enabled: true
                  paths: ["%2$s/containers/*.log"]
                  stateDir: %2$s/state
                elasticsearch:
                  urls: ["http://127.0.0.1:%1$d"]
                  username: shipper
                  passwordFile: %3$s
                metrics:
                  kubelet:
                    url: http://127.0.0.1:%1$d
                    caFile: ""
                    tokenFile: %4$s
                logging: {format: text}
                """.formatted(nothing, dir, password, token),
                Map.of("NODE_NAME", "node-a", "KUBERNETES_AUTH_TOKEN", "api-" + SECRET))) {
            assertTrue(Http.await(Duration.ofSeconds(20), () -> logOf(agent).contains("agent started")), logOf(agent));
            String log = logOf(agent);

            assertTrue(log.contains("basic auth of user shipper (elasticsearch.passwordFile) goes to [http://127.0.0.1:"
                    + nothing + "] over plain HTTP"), log);
            assertTrue(log.contains("kubelet client for http://127.0.0.1:" + nothing + " (plain HTTP, token from "
                    + token + ")"), log);
            assertTrue(log.contains("the bearer token of " + token + " (metrics.kubelet.tokenFile) goes to"
                    + " http://127.0.0.1:" + nothing + " over plain HTTP"), log);
            assertTrue(log.contains("the credentials for the Kubernetes API go to http://127.0.0.1:" + nothing), log);
            assertFalse(log.contains(SECRET), log);
        }
    }

    private static String logOf(AgentProcess agent) {
        try {
            return String.join("\n", Files.readAllLines(agent.process().log()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
