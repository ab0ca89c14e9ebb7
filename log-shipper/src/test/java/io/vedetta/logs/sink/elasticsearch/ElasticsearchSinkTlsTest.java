package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.testing.Records;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** TLS against a local HTTPS server whose self-signed certificate the JDK's keytool made for 127.0.0.1. */
class ElasticsearchSinkTlsTest {

    @TempDir
    static Path keys;
    private static SSLContext serverTls;
    private static Path caPem;

    @TempDir
    Path dir;
    private FakeBulkServer server;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final AtomicInteger acked = new AtomicInteger();
    private ElasticsearchSink sink;

    @BeforeAll
    static void makeCertificate() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.make(keys, "es");
        serverTls = certificate.server();
        caPem = certificate.pem();
    }

    @BeforeEach
    void start() {
        server = new FakeBulkServer(serverTls);
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

    private ElasticsearchSink sink(Optional<Path> caFile, boolean verify) throws IOException {
        return sink(server.url(), caFile, verify);
    }

    private ElasticsearchSink sink(URI url, Optional<Path> caFile, boolean verify) throws IOException {
        ElasticsearchSinkConfig c = ElasticsearchSinkConfig.defaults(List.of(url), dir);
        return new ElasticsearchSink(new ElasticsearchSinkConfig(c.urls(), c.username(), c.passwordFile(),
                c.apiKeyFile(), caFile, verify, c.routes(), c.jsonField(), c.messageField(), c.bulkMaxBytes(), c.bulkMaxRecords(),
                c.maxInFlight(), false, c.retryInitial(), c.retryMax(), c.connectTimeout(), c.requestTimeout(), true,
                c.templateName(), c.deadLetterPrefix(), c.deadLetterFile(), c.deadLetterFileMaxBytes()), registry, Clock.systemUTC());
    }

    private List<SinkRecord> oneRecord() {
        return List.of(new SinkRecord(RecordId.of("r"), Records.json("{\"log\":\"x\"}"),
                acked::incrementAndGet));
    }

    private String logged() {
        synchronized (log) { // AppenderBase appends under the appender's lock; the sink logs from its own thread
            return String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    @Test
    void trustsTheCaFile() throws Exception {
        sink = sink(Optional.of(caPem), true);

        sink.send(oneRecord()).get(20, TimeUnit.SECONDS);

        assertEquals(1, acked.get());
    }

    @Test
    void refusesACertificateNoTrustedCaSignedByDefault() throws Exception {
        sink = sink(Optional.empty(), true);

        sink.send(oneRecord());
        awaitRefusedHandshake();

        assertEquals(0, acked.get());
        assertTrue(server.requests.isEmpty(), "no request got through the handshake");
        assertTrue(registry.get("vedetta.log.es.errors").tag("reason", "template").counter().count() >= 1);
        assertTrue(logged().contains("cannot install the index template yet"), logged());
    }

    /** The host name is checked (at the first handshake, not when the client is built), not only the CA. */
    @Test
    void refusesATrustedCertificateMadeForAnotherHostName() throws Exception {
        sink = sink(URI.create("https://localhost:" + server.url().getPort()), Optional.of(caPem), true);

        sink.send(oneRecord());
        awaitRefusedHandshake();

        assertEquals(0, acked.get());
        assertTrue(server.requests.isEmpty(), "no request got through the handshake");
        assertTrue(logged().contains("localhost"), "the refusal names the host: " + logged());
    }

    private void awaitRefusedHandshake() throws InterruptedException {
        // A refused handshake, counted and logged: no request can get through while the certificate stays
        // untrusted. The sink counts before it logs, so wait for both.
        Instant deadline = Instant.now().plusSeconds(20);
        while (registry.find("vedetta.log.es.errors").tag("reason", "template").counter() == null
                || registry.get("vedetta.log.es.errors").tag("reason", "template").counter().count() < 1
                || !logged().contains("cannot install the index template yet")) {
            assertTrue(Instant.now().isBefore(deadline), "no TLS failure within 20 s: " + logged());
            Thread.sleep(20);
        }
    }

    @Test
    void turningVerificationOffWarnsAtStart() throws Exception {
        sink = sink(Optional.empty(), false);

        sink.send(oneRecord()).get(20, TimeUnit.SECONDS);

        assertEquals(1, acked.get());
        assertTrue(logged().contains("elasticsearch.tls.verify is false"), logged());
    }
}
