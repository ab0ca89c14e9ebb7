package io.vedetta.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.ScrapeProtocol;
import io.vedetta.agent.metrics.kubelet.TestCa;
import io.vedetta.agent.relabel.Relabeling;
import io.vedetta.agent.remotewrite.SeriesLabels;
import io.vedetta.agent.remotewrite.Wal;
import io.vedetta.agent.remotewrite.WalMetrics;
import io.vedetta.agent.remotewrite.WalTestAccess;
import io.vedetta.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods scraped over https with {@code scrape.tls.caFile}: the bundle is re-read when it changes, so a rotated CA (and
 * the serving certificates it re-issued) is trusted without a restart, and a bundle that cannot be read is counted
 * while the last good one stays in use. Real TLS servers; every server the test starts has a TLS context of its own,
 * so each connection is a full handshake that the scraper's trust decides (no resumed session skips it).
 */
class TargetTlsTest {

    private static TestCa.Authority rotated;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScrapeMetrics metrics = new ScrapeMetrics(registry);
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private TestApp app;
    private Wal wal;

    @BeforeAll
    static void makeTheRotatedCa(@TempDir Path certificates) throws Exception {
        rotated = TestCa.authority(certificates, "rotated-ca");
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        if (wal != null) {
            wal.close();
        }
        watchdog.shutdownNow();
    }

    @Test
    void trustsARotatedCaWithoutARestartAndKeepsTheLastGoodOneWhenTheFileCannotBeRead() throws Exception {
        Path ca = Files.copy(TestCa.get().caPem, dir.resolve("ca.crt"));
        SSLSocketFactory tls = TargetTls.socketFactory(PodTargetsTest.ScrapeConfigs.parse("tls: {caFile: " + ca + "}"),
                metrics.caRereads());
        app = new TestApp(TestCa.get().newServerContext(), 0);
        int port = app.url().getPort();
        ScrapeLoop loop = loop(tls);
        assertEquals(1.0, scrapeUp(loop), "the pod's certificate from the first CA");

        // The CA Secret rotated, and the pod's serving certificate was re-issued by the new CA.
        Files.write(ca, Files.readAllBytes(rotated.caPem()));
        serve(rotated.newServerContext(), port);
        await("scrapes trust the new CA", () -> scrapeUp(loop) == 1.0);

        // A rotation caught half-written: the file no longer holds a certificate.
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n");
        await("the failed re-read is counted", () -> {
            serve(rotated.newServerContext(), port);
            assertEquals(1.0, scrapeUp(loop), "the last good CA bundle is still trusted");
            return secretErrors() >= 1;
        });

        Files.write(ca, Files.readAllBytes(TestCa.get().caPem));
        serve(TestCa.get().newServerContext(), port);
        await("the repaired file is read and the first CA trusted again", () -> scrapeUp(loop) == 1.0);
        assertEquals(0.0, registry.get("vedetta.scrape.failures").tag("reason", "timeout").counter().count());
    }

    @Test
    void refusesAPodWhoseCertificateTheConfiguredCaDidNotSign() throws Exception {
        Path ca = Files.copy(rotated.caPem(), dir.resolve("ca.crt"));
        SSLSocketFactory tls = TargetTls.socketFactory(PodTargetsTest.ScrapeConfigs.parse("tls: {caFile: " + ca + "}"),
                metrics.caRereads());
        app = new TestApp(TestCa.get().newServerContext(), 0);

        assertEquals(0.0, scrapeUp(loop(tls)));
        assertEquals(0.0, secretErrors(), "re-reading an unchanged, readable bundle is no error");
    }

    private ScrapeLoop loop(SSLSocketFactory tls) throws Exception {
        wal = Wal.open(dir.resolve("wal"), 64L << 20, Duration.ofHours(2), clock, new WalMetrics(registry, 64L << 20));
        ScrapeTarget target = new ScrapeTarget(app.url(), Map.of("job", "shop/web", "instance", "127.0.0.1"),
                Duration.ofSeconds(15), Duration.ofSeconds(5), "uid-1");
        HttpExposition https = new HttpExposition(target, tls, List.of(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4),
                "Vedetta/test", watchdog);
        return new ScrapeLoop(target, https, new ScrapeLoop.Settings(0, 0, 0, false, true, Relabeling.NONE), wal,
                metrics, clock);
    }

    /** Replaces the pod's server by one on the same port presenting the certificate of {@code tls}. */
    private void serve(SSLContext tls, int port) throws Exception {
        app.close();
        app = new TestApp(tls, port);
    }

    /** Scrapes once; the {@code up} it wrote. */
    private double scrapeUp(ScrapeLoop loop) throws Exception {
        loop.scrape();
        double[] up = {Double.NaN};
        WalTestAccess.forEach(wal, (labels, timestamp, value) -> {
            if ("up".equals(SeriesLabels.decode(labels).get("__name__"))) {
                up[0] = value;
            }
        });
        return up[0];
    }

    private double secretErrors() {
        return registry.get("vedetta.errors").tag("stage", "scrape").tag("reason", "secret").counter().count();
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.met()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(50);
        }
    }
}
