package io.vedetta.e2e.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentCommand;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numbers that do not fit, through {@code --check-config} on the packaged agent: a config error, never a trace. */
class ConfigNumbersTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a port beyond any integer          | http: {port: 99999999999999999999}                         | http.port
            a negative port                    | http: {port: -1}                                           | http.port
            a port as a long string            | http: {port: '99999999999999999999999'}                    | http.port
            a size in exabytes                 | logs: {buffer: {diskBytes: 16000000000GiB}}                | logs.buffer.diskBytes
            a size beyond any integer          | elasticsearch: {bulk: {maxBytes: 99999999999999999999999}} | elasticsearch.bulk.maxBytes
            a size that wraps an int           | http: {maxRequestHeaderBytes: 4294968320}                  | http.maxRequestHeaderBytes
            a duration whose hours overflow    | kubernetes: {deletionGrace: 9999999999999999h}             | kubernetes.deletionGrace
            a duration beyond any integer      | shutdownGrace: 99999999999999999999999s                    | shutdownGrace
            a duration too long to wait for    | metrics: {sources: {timeout: 200000h}}                     | metrics.sources.timeout
            a timeout the client takes in ms   | elasticsearch: {requestTimeout: 1000h}                     | elasticsearch.requestTimeout
            a retry delay the client takes in ms | kubernetes: {retryInitial: 1000h, retryMax: 1000h}       | kubernetes.retryInitial
            a negative count                   | logs: {queueLines: -5}                                     | logs.queueLines
            a count beyond any integer         | metrics: {sources: {threads: 99999999999999999999}}        | metrics.sources.threads
            a fractional count                 | elasticsearch: {maxInFlight: 2.5}                          | elasticsearch.maxInFlight
            """)
    void aNumberThatDoesNotFitIsAConfigErrorNamingTheSetting(String what, String yaml, String setting)
            throws Exception {
        String config = yaml.startsWith("kubernetes:") ? yaml.replace("kubernetes: {", "kubernetes: {enabled: false, ")
                : "kubernetes: {enabled: false}\n" + yaml;
        AgentCommand.Result result = AgentCommand.run(dir, config, Map.of(), "--check-config");

        assertEquals(1, result.exit(), what + ": " + result.output());
        assertTrue(result.output().contains("invalid setting `" + setting + "`"), what + ": " + result.output());
        assertTrue(result.output().contains("Fix:"), what + ": " + result.output());
        assertFalse(result.output().contains("Exception") || result.output().contains("\tat "),
                what + " must not end in a stack trace: " + result.output());
    }
}
