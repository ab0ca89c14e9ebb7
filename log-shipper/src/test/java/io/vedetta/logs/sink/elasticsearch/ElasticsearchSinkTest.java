package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.sink.elasticsearch.FakeBulkServer.Answer;
import io.vedetta.logs.sink.elasticsearch.FakeBulkServer.Received;
import io.vedetta.logs.testing.Records;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The sink against a local server that answers {@code _bulk} as the test decides. */
class ElasticsearchSinkTest {

    private static final String PASSWORD = "s3cr3t-Pa55w0rd";

    @TempDir
    Path dir;
    private final FakeBulkServer server = new FakeBulkServer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final AtomicInteger acked = new AtomicInteger();
    private ElasticsearchSink sink;

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        if (sink != null) {
            sink.close();
        }
        server.close();
    }

    private ElasticsearchSinkConfig config(List<URI> urls) {
        return ElasticsearchSinkConfig.defaults(urls, dir);
    }

    private ElasticsearchSinkConfig fastRetries(ElasticsearchSinkConfig c) {
        return new ElasticsearchSinkConfig(c.urls(), c.username(), c.passwordFile(), c.apiKeyFile(), c.caFile(),
                c.verifyTls(), c.routes(), c.jsonField(), c.messageField(), c.bulkMaxBytes(), c.bulkMaxRecords(),
                c.maxInFlight(),
                c.gzip(), Duration.ofMillis(20), Duration.ofMillis(100), c.connectTimeout(), c.requestTimeout(),
                c.installTemplate(), c.templateName(), c.deadLetterPrefix(), c.deadLetterFile(), c.deadLetterFileMaxBytes());
    }

    private List<SinkRecord> records(int n) {
        List<SinkRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SinkRecord(RecordId.of("rec-" + i), Records.json("{\"log\":\"line " + i + "\"}"),
                    acked::incrementAndGet));
        }
        return out;
    }

    private static void await(CompletableFuture<Void> delivery) throws Exception {
        delivery.get(20, TimeUnit.SECONDS);
    }

    @Test
    void basicAuthPasswordComesFromItsFileAndAppearsInNoLogOrMetric() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        ElasticsearchSinkConfig c = fastRetries(config(List.of(server.url())));
        AtomicInteger calls = new AtomicInteger();
        server.answerBulkWith(r -> calls.incrementAndGet() <= 2 ? new Answer(401, "{\"error\":\"unauthorized\"}")
                : FakeBulkServer.allCreated(r));
        sink = new ElasticsearchSink(new ElasticsearchSinkConfig(c.urls(), Optional.of("shipper"),
                Optional.of(passwordFile), Optional.empty(), Optional.empty(), true, c.routes(), "json", "log",
                c.bulkMaxBytes(), c.bulkMaxRecords(), 2, false, c.retryInitial(), c.retryMax(), c.connectTimeout(),
                c.requestTimeout(), true, "vedetta-logs", "vedetta-deadletter", c.deadLetterFile(), c.deadLetterFileMaxBytes()), registry,
                Clock.systemUTC());

        await(sink.send(records(3)));

        String token = Base64.getEncoder().encodeToString(("shipper:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        server.requests.forEach(r -> assertEquals("Basic " + token, r.header("Authorization"), r.path()));
        String logged = String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertTrue(logged.contains("(401), also after reading the file again"), "the failure is logged: " + logged);
        String meters = registry.getMeters().stream().map(Meter::getId).map(Object::toString).toList().toString();
        for (String secret : List.of(PASSWORD, token)) {
            assertFalse(logged.contains(secret), "secret in the log");
            assertFalse(meters.contains(secret), "secret in a metric");
        }
        assertEquals(3, acked.get());
    }

    @Test
    void apiKeyComesFromItsFile() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("apikey"), "aWQ6a2V5\n");
        ElasticsearchSinkConfig c = config(List.of(server.url()));
        sink = new ElasticsearchSink(new ElasticsearchSinkConfig(c.urls(), Optional.empty(), Optional.empty(),
                Optional.of(keyFile), Optional.empty(), true, c.routes(), "json", "log", c.bulkMaxBytes(),
                c.bulkMaxRecords(), 2, false, c.retryInitial(), c.retryMax(), c.connectTimeout(), c.requestTimeout(),
                true, "vedetta-logs", "vedetta-deadletter", c.deadLetterFile(), c.deadLetterFileMaxBytes()), registry, Clock.systemUTC());

        await(sink.send(records(1)));

        assertEquals("ApiKey aWQ6a2V5", server.bulks.take().header("Authorization"));
    }

    @Test
    void installsTemplatesBeforeTheFirstBulkAndCarriesOnWithoutIlm() throws Exception {
        sink = new ElasticsearchSink(config(List.of(server.url())), registry, Clock.systemUTC());

        await(sink.send(records(2)));

        List<String> paths = server.requests.stream().map(Received::path).toList();
        assertEquals(List.of("/_ilm/policy/vedetta-logs", "/_index_template/vedetta-logs",
                "/_index_template/vedetta-deadletter", "/_bulk"), paths);
        String template = server.requests.get(1).body();
        assertTrue(template.contains("\"index_patterns\":[\"logs-kubernetes.container-*\"]"), template);
        assertTrue(template.contains("\"data_stream\":{}"), template);
        assertFalse(template.contains("index.lifecycle.name"), "no ILM policy to refer to: " + template);
        assertEquals(1.0, registry.get("vedetta.log.es.errors").tag("reason", "ilm").counter().count());
    }

    @Test
    void aTemplateRefusedWith4xxIsLoggedWithElasticsearchsReasonAndRecordsAreShippedWithoutIt() throws Exception {
        server.answerTemplatesWith(r -> new Answer(400, "{\"error\":{\"type\":\"illegal_argument_exception\","
                + "\"reason\":\"unknown setting [index.bogus]\"},\"status\":400}"));
        sink = new ElasticsearchSink(config(List.of(server.url())), registry, Clock.systemUTC());

        await(sink.send(records(2)));

        String logged = String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertTrue(logged.contains("refused index template vedetta-logs") && logged.contains("unknown setting"),
                "the refusal and Elasticsearch's reason are logged: " + logged);
        assertEquals(1.0, registry.get("vedetta.log.es.errors").tag("reason", "template").counter().count());
        assertEquals(2, acked.get());
    }

    @Test
    void aTemplateAnsweredWithAServerErrorIsInstalledAgainBeforeTheFirstBulk() throws Exception {
        AtomicInteger puts = new AtomicInteger();
        server.answerTemplatesWith(r -> puts.incrementAndGet() == 1
                ? new Answer(503, "{\"error\":\"unavailable\",\"status\":503}")
                : new Answer(200, "{\"acknowledged\":true}"));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());

        await(sink.send(records(1)));

        List<String> paths = server.requests.stream().map(Received::path).toList();
        assertEquals(List.of("/_ilm/policy/vedetta-logs", "/_index_template/vedetta-logs",
                "/_ilm/policy/vedetta-logs", "/_index_template/vedetta-logs", "/_index_template/vedetta-deadletter",
                "/_bulk"), paths);
        assertEquals(1.0, registry.get("vedetta.log.es.errors").tag("reason", "template").counter().count());
    }

    @Test
    void failsOverToTheNextUrlWhenOneRefusesConnections() throws Exception {
        URI dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        sink = new ElasticsearchSink(fastRetries(config(List.of(dead, server.url()))), registry, Clock.systemUTC());

        for (int i = 0; i < 4; i++) {
            await(sink.send(records(5)));
        }

        assertEquals(20, acked.get());
        assertEquals(4, server.bulks.size());
    }

    @Test
    void aBodyOfManySocketWritesArrivesWholeAndWholeAgainWhenSentAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.answerBulkWith(r -> calls.incrementAndGet() == 1 ? new Answer(503, "{\"error\":\"unavailable\"}")
                : FakeBulkServer.allCreated(r));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());
        List<SinkRecord> records = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            String document = "{\"log\":\"" + ("line " + i + " ").repeat(60) + "\"}";
            records.add(new SinkRecord(RecordId.of("big-" + i), Records.json(document),
                    acked::incrementAndGet));
            expected.append("{\"create\":{\"_index\":\"logs-kubernetes.container-default\",\"_id\":\"big-")
                    .append(i).append("\"}}\n").append(document).append('\n');
        }

        await(sink.send(records));

        assertTrue(expected.length() > 3 * 64 * 1024, "several pieces: " + expected.length());
        assertEquals(2, server.bulks.size());
        server.bulks.forEach(b -> assertEquals(expected.toString(), b.body()));
        assertEquals(400, acked.get());
    }

    @Test
    void gzipCompressesRequestBodies() throws Exception {
        ElasticsearchSinkConfig c = config(List.of(server.url()));
        sink = new ElasticsearchSink(new ElasticsearchSinkConfig(c.urls(), c.username(), c.passwordFile(),
                c.apiKeyFile(), c.caFile(), true, c.routes(), "json", "log", c.bulkMaxBytes(), c.bulkMaxRecords(), 2, true,
                c.retryInitial(), c.retryMax(), c.connectTimeout(), c.requestTimeout(), true, "vedetta-logs",
                "vedetta-deadletter", c.deadLetterFile(), c.deadLetterFileMaxBytes()), registry, Clock.systemUTC());

        await(sink.send(records(2)));

        Received bulk = server.bulks.take();
        assertEquals("gzip", bulk.header("Content-Encoding"));
        assertTrue(bulk.body().startsWith("{\"create\":{\"_index\":\"logs-kubernetes.container-default\",\"_id\":\"rec-0\"}}\n"
                + "{\"log\":\"line 0\"}\n"), bulk.body());
    }

    @Test
    void rejectedItemsAreRetriedAloneAndRefusedOnesBecomeDeadLetters() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.answerBulkWith(r -> calls.incrementAndGet() == 1
                ? FakeBulkServer.items(r, i -> new int[] {201, 429, 400, 409, 503}[i])
                : FakeBulkServer.allCreated(r));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());

        await(sink.send(records(5)));

        List<Received> bulks = new ArrayList<>(server.bulks);
        assertEquals(3, bulks.size(), "the batch, the dead letter and the retry of the two rejected items");
        Received deadLetter = bulks.stream().filter(b -> b.body().contains("vedetta-deadletter-")).findFirst().orElseThrow();
        assertTrue(deadLetter.body().contains("\"_id\":\"rec-2\""), deadLetter.body());
        assertTrue(deadLetter.body().contains("\"status\":400,\"error\":{\"type\":\"t400\",\"reason\":\"r400\"}"
                + ",\"document\":\"{\\\"log\\\":\\\"line 2\\\"}\""), deadLetter.body());
        Received retry = bulks.stream().filter(b -> !b.body().contains("deadletter") && b != bulks.get(0))
                .findFirst().orElseThrow();
        assertEquals(List.of("rec-1", "rec-4"), ids(retry));
        assertEquals(5, acked.get());
        assertEquals(4.0, registry.get("vedetta.log.es.records.sent").counter().count(), "201, 409 and the two retried");
        assertEquals(1.0, registry.get("vedetta.log.es.items.retried").tag("status", "429").counter().count());
        assertEquals(1.0, registry.get("vedetta.log.es.items.retried").tag("status", "5xx").counter().count());
        assertEquals(1.0, registry.get("vedetta.log.es.dead.lettered").tag("target", "index").counter().count());
    }

    @Test
    void deadLettersTheIndexRefusesGoToTheLocalFile() throws Exception {
        server.answerBulkWith(r -> FakeBulkServer.items(r, i -> 400));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());

        await(sink.send(records(2)));

        List<String> lines = Files.readAllLines(dir.resolve("deadletter.ndjson"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"record_id\":\"rec-0\"") && lines.get(0).contains("\"reason\":\"r400\""),
                lines.get(0));
        assertEquals(2.0, registry.get("vedetta.log.es.dead.lettered").tag("target", "file").counter().count());
        assertEquals(2, acked.get());
    }

    @Test
    void anItemWithoutAValidStatusIsSentAgainNotDeadLettered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.answerBulkWith(r -> calls.incrementAndGet() == 1
                ? new Answer(200, "{\"errors\":true,\"items\":[{\"create\":{\"status\":201}},{\"create\":{}},"
                        + "{\"create\":{\"status\":\"oops\"}},{\"create\":{\"status\":302}}]}")
                : FakeBulkServer.allCreated(r));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());

        await(sink.send(records(4)));

        List<Received> bulks = new ArrayList<>(server.bulks);
        assertEquals(List.of(List.of("rec-0", "rec-1", "rec-2", "rec-3"), List.of("rec-1", "rec-2", "rec-3")),
                bulks.stream().map(ElasticsearchSinkTest::ids).toList(), "the three items without a status, again");
        assertEquals(4, acked.get());
        assertEquals(3.0, registry.get("vedetta.log.es.items.retried").tag("status", "malformed").counter().count());
        assertEquals(0.0, registry.get("vedetta.log.es.dead.lettered").tag("target", "index").counter().count());
        assertFalse(Files.exists(dir.resolve("deadletter.ndjson")));
        assertEquals(1, log.list.stream().filter(e -> e.getFormattedMessage().contains("without a valid status"))
                .count(), "logged once, with the cause");
    }

    @Test
    void deadLettersBeyondTheFilesBoundAreDroppedCountedAndLoggedOncePerStreak() throws Exception {
        server.answerBulkWith(r -> FakeBulkServer.items(r, i -> 400));
        Path file = dir.resolve("deadletter.ndjson");
        ElasticsearchSinkConfig c = fastRetries(config(List.of(server.url())));
        int oneLetter = 300;
        sink = new ElasticsearchSink(new ElasticsearchSinkConfig(c.urls(), c.username(), c.passwordFile(),
                c.apiKeyFile(), c.caFile(), c.verifyTls(), c.routes(), c.jsonField(), c.messageField(),
                c.bulkMaxBytes(), c.bulkMaxRecords(), c.maxInFlight(), c.gzip(), c.retryInitial(), c.retryMax(), c.connectTimeout(),
                c.requestTimeout(), c.installTemplate(), c.templateName(), c.deadLetterPrefix(), file, 2 * oneLetter),
                registry, Clock.systemUTC());

        await(sink.send(records(5)));
        long kept = Files.readAllLines(file).size();
        assertTrue(kept >= 1 && kept < 5 && Files.size(file) <= 2 * oneLetter, kept + " lines, " + Files.size(file)
                + " bytes");
        await(sink.send(records(3)));

        assertEquals(8, acked.get(), "dropped dead letters release their records");
        assertEquals(kept, Files.readAllLines(file).size(), "the full file took nothing more");
        assertEquals((double) kept, registry.get("vedetta.log.es.dead.lettered").tag("target", "file").counter().count());
        assertEquals(8.0 - kept, registry.get("vedetta.log.es.dead.letters.dropped").counter().count());
        assertEquals(1, fileFullLogLines(), "one line for the streak");

        Files.delete(file);
        await(sink.send(records(1)));
        assertEquals(1, Files.readAllLines(file).size(), "room again once the file is moved away");
        await(sink.send(records(5)));
        assertEquals(2, fileFullLogLines(), "a new streak is logged again");
    }

    private long fileFullLogLines() {
        return log.list.stream().filter(e -> e.getFormattedMessage().contains("elasticsearch.deadLetter.fileMaxBytes"))
                .count();
    }

    @Test
    void nothingIsAcknowledgedWhileRequestsFailAsAWhole() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.answerBulkWith(r -> calls.incrementAndGet() <= 3 ? new Answer(503, "{\"error\":\"unavailable\"}")
                : new Answer(429, "{\"error\":\"es_rejected_execution_exception\"}"));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());

        CompletableFuture<Void> delivery = sink.send(records(4));
        assertNotNull(server.bulks.poll(10, TimeUnit.SECONDS));
        while (calls.get() < 6) {
            Thread.sleep(20);
        }
        assertEquals(0, acked.get());
        assertFalse(delivery.isDone());
        assertTrue(registry.get("vedetta.log.es.bulk.requests").tag("outcome", "server_error").counter().count() >= 3);
        assertTrue(registry.get("vedetta.log.es.bulk.requests").tag("outcome", "rejected").counter().count() >= 1);
        assertEquals(1.0, registry.get("vedetta.log.es.concurrency.limit").gauge().value(),
                "429s brought the requests in flight down to one");

        server.answerBulkWith(FakeBulkServer::allCreated);
        await(delivery);
        assertEquals(4, acked.get());
        server.bulks.forEach(b -> assertEquals(List.of("rec-0", "rec-1", "rec-2", "rec-3"), ids(b),
                "the whole request is sent again"));
    }

    @Test
    void aRequestTooLargeForTheServerIsHalvedUntilItFits() throws Exception {
        server.answerBulkWith(r -> ids(r).size() > 2 ? new Answer(413, "{\"error\":\"too large\"}")
                : FakeBulkServer.allCreated(r));
        sink = new ElasticsearchSink(fastRetries(config(List.of(server.url()))), registry, Clock.systemUTC());

        await(sink.send(records(8)));

        assertEquals(8, acked.get());
        assertEquals(List.of(2, 2, 2, 2, 4, 4, 8), server.bulks.stream().map(b -> ids(b).size()).sorted().toList(),
                "8 refused, its halves refused, their halves taken");
    }

    private static List<String> ids(Received bulk) {
        List<String> ids = new ArrayList<>();
        for (String line : bulk.body().split("\n")) {
            int at = line.indexOf("\"_id\":\"");
            if (line.startsWith("{\"create\"") && at > 0) {
                ids.add(line.substring(at + 7, line.indexOf('"', at + 7)));
            }
        }
        return ids;
    }
}
