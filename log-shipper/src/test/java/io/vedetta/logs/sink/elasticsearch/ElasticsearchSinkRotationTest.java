package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.secrets.SecretVolume;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.testing.Records;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Rotated Secrets without a restart: credential and CA files changed the way the kubelet changes a Secret volume,
 * against a local server that demands the current credentials (401 otherwise) or presents a new certificate.
 */
class ElasticsearchSinkRotationTest {

    @TempDir
    static Path keys;
    private static SelfSignedCertificate firstCertificate;
    private static SelfSignedCertificate secondCertificate;

    @TempDir
    Path dir;
    private FakeBulkServer server;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final AtomicInteger acked = new AtomicInteger();
    private ElasticsearchSink sink;

    @BeforeAll
    static void makeCertificates() throws Exception {
        firstCertificate = SelfSignedCertificate.make(keys, "first");
        secondCertificate = SelfSignedCertificate.make(keys, "second");
    }

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
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPasswordRotatedOnDiskIsSentFromThenOnWithoutA401() throws Exception {
        server = new FakeBulkServer();
        SecretVolume secret = new SecretVolume(dir.resolve("secret"), Map.of("password", "first-password"));
        server.authenticateWith(basic("first-password")::equals);
        sink = sink(Optional.of("shipper"), Optional.of(secret.file("password")), Optional.empty(), Optional.empty());
        sink.send(records(1)).get(20, TimeUnit.SECONDS);

        secret.update(Map.of("password", "second-password"));
        server.authenticateWith(a -> basic("first-password").equals(a) || basic("second-password").equals(a));
        assertTrue(deliverUntil(() -> server.requests.get(server.requests.size() - 1).header("Authorization")
                .equals(basic("second-password"))), "the new password is read once the file changed");
        server.authenticateWith(basic("second-password")::equals);
        sink.send(records(1)).get(20, TimeUnit.SECONDS);

        assertEquals(0, server.requests.stream().filter(r -> !r.header("Authorization").equals(basic("first-password"))
                && !r.header("Authorization").equals(basic("second-password"))).count());
        assertEquals(1, registry.get("vedetta.log.es.secrets.changed").tag("setting", "elasticsearch.passwordFile")
                .counter().count());
        assertEquals(0, errors("unauthorized") + errors("request"), "no request was refused");
        assertTrue(logged().contains("read elasticsearch.passwordFile (" + secret.file("password")
                + ") again: changed on disk"), logged());
        assertTrue(!logged().contains("first-password") && !logged().contains("second-password"), logged());
    }

    @Test
    void a401ReadsTheApiKeyAgainAndSendsOnceMoreBeforeItCountsAsAFailure() throws Exception {
        server = new FakeBulkServer();
        Path key = Files.writeString(dir.resolve("api-key"), "a2V5LW9uZQ==");
        server.authenticateWith("ApiKey a2V5LW9uZQ=="::equals);
        sink = sink(Optional.empty(), Optional.empty(), Optional.of(key), Optional.empty());
        sink.send(records(1)).get(20, TimeUnit.SECONDS);
        int before = server.requests.size();

        // Rewritten in place with the same length and modification time: only the server can tell it changed.
        FileTime modified = Files.getLastModifiedTime(key);
        Files.writeString(key, "a2V5LXR3bw==");
        Files.setLastModifiedTime(key, modified);
        server.authenticateWith("ApiKey a2V5LXR3bw=="::equals);
        sink.send(records(3)).get(20, TimeUnit.SECONDS);

        List<String> sent = server.requests.subList(before, server.requests.size()).stream()
                .map(r -> r.path() + " " + r.header("Authorization")).toList();
        assertEquals(List.of("/_bulk ApiKey a2V5LW9uZQ==", "/_bulk ApiKey a2V5LXR3bw=="), sent,
                "refused once, read again, sent again at once");
        assertEquals(4, acked.get());
        assertEquals(0, errors("unauthorized") + errors("request"), "the 401 answered by a re-read is no failure");
        assertEquals(1, registry.get("vedetta.log.es.secrets.changed").tag("setting", "elasticsearch.apiKeyFile")
                .counter().count());
        assertTrue(logged().contains("read elasticsearch.apiKeyFile (" + key + ") again: refused by the server"),
                logged());
    }

    @Test
    void credentialsRefusedAgainAfterTheReReadAreCountedAndLogged() throws Exception {
        server = new FakeBulkServer();
        Path password = Files.writeString(dir.resolve("password"), "stale");
        server.authenticateWith(basic("stale")::equals);
        sink = sink(Optional.of("shipper"), Optional.of(password), Optional.empty(), Optional.empty());
        sink.send(records(1)).get(20, TimeUnit.SECONDS);
        server.authenticateWith(basic("rotated-elsewhere")::equals);

        sink.send(records(1));

        assertTrue(await(() -> errors("unauthorized") >= 1), "counted once the resend is refused too");
        assertEquals(1, acked.get(), "nothing is acknowledged that was not delivered");
        assertTrue(logged().contains("Elasticsearch refuses basic auth of user shipper (elasticsearch.passwordFile)"
                + " (401), also after reading the file again"), logged());
    }

    @Test
    void aRotatedCaFileIsTrustedForTheNextConnection() throws Exception {
        server = new FakeBulkServer(firstCertificate.server());
        int port = server.url().getPort();
        SecretVolume ca = new SecretVolume(dir.resolve("ca"), Map.of("ca.crt", Files.readString(firstCertificate.pem())));
        sink = sink(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(ca.file("ca.crt")));
        sink.send(records(1)).get(20, TimeUnit.SECONDS);

        server.close();
        server = new FakeBulkServer(secondCertificate.server(), port);
        ca.update(Map.of("ca.crt", Files.readString(secondCertificate.pem())));
        sink.send(records(1)).get(30, TimeUnit.SECONDS);

        assertEquals(2, acked.get());
        assertEquals(1, registry.get("vedetta.log.es.secrets.changed").tag("setting", "elasticsearch.tls.caFile")
                .counter().count());
    }

    private ElasticsearchSink sink(Optional<String> user, Optional<Path> password, Optional<Path> apiKey,
            Optional<Path> ca) throws IOException {
        ElasticsearchSinkConfig c = ElasticsearchSinkConfig.defaults(List.of(server.url()), dir);
        return new ElasticsearchSink(new ElasticsearchSinkConfig(c.urls(), user, password, apiKey, ca, true,
                c.routes(), c.jsonField(), c.messageField(), c.bulkMaxBytes(), c.bulkMaxRecords(), 1, false, Duration.ofMillis(20),
                Duration.ofMillis(200), c.connectTimeout(), c.requestTimeout(), true, c.templateName(),
                c.deadLetterPrefix(), c.deadLetterFile()), registry, Clock.systemUTC());
    }

    private List<SinkRecord> records(int n) {
        List<SinkRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SinkRecord(RecordId.of("rec-" + acked.get() + "-" + i),
                    Records.json("{\"log\":\"line " + i + "\"}"), acked::incrementAndGet));
        }
        return out;
    }

    /** Sends a record at a time until {@code condition} holds, for at most 20 s. */
    private boolean deliverUntil(java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            sink.send(records(1)).get(20, TimeUnit.SECONDS);
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private double errors(String reason) {
        return registry.get("vedetta.log.es.errors").tag("reason", reason).counter().count();
    }

    private String logged() {
        return String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("shipper:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
