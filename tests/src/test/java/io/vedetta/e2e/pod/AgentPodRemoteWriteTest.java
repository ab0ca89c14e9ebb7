package io.vedetta.e2e.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vedetta.remotewrite.CounterSamples;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.ScrapedApp;
import io.vedetta.testkit.pod.RunningPod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as the chart's pod with {@code remoteWrite} set in the chart's values: a real Prometheus receiver
 * ({@code --web.enable-remote-write-receiver}) gets the agent's own series and those of an application it scrapes, the
 * write-ahead log lives in the pod's state volume (the node's /var/lib/vedetta), and a SIGKILL of the pod's process,
 * restarted by the kubelet, resumes from it.
 */
class AgentPodRemoteWriteTest extends AgentPodTest {

    @TempDir
    static Path dir;
    private static PrometheusProcess receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = PrometheusProcess.start(dir.resolve("prometheus"), "global: {scrape_interval: 1m}\n",
                List.of("--web.enable-remote-write-receiver"));
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static boolean present(String query) {
        return !receiver.query(query).isEmpty();
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) {
        assertTrue(Http.await(timeout, condition), "timed out waiting until " + what);
    }

    @Test
    void pushesItsOwnAndAScrapedApplicationsSeriesAndResumesFromItsWriteAheadLogAfterASigkill() throws Exception {
        Path wal = env.node.hostPath("/var/lib/vedetta/wal");
        try (ScrapedApp app = new ScrapedApp(10)) {
            env.api.addRunningPod("rw-pod", "shop-7c9d-1", "shop", "app");
            env.api.update("rw-pod", "shop-7c9d-1", pod -> {
                // On the host network the agent reaches the application on this machine's loopback.
                pod.getStatus().setPodIP("127.0.0.1");
                // As a Deployment's pod carries it: the job is the Deployment's name, without this hash.
                pod.getMetadata().getLabels().put("pod-template-hash", "5d9c7b");
                pod.getMetadata().getAnnotations().put("prometheus.io/scrape", "true");
                pod.getMetadata().getAnnotations().put("prometheus.io/port", String.valueOf(app.port()));
                return pod;
            });
            Map<String, Object> sets = new LinkedHashMap<>();
            sets.put("remoteWrite[0].url", receiver.url() + "/api/v1/write");
            sets.put("remoteWrite[0].name", "e2e");
            sets.put("remoteWrite[0].queue.batchSendDeadline", "200ms");
            sets.put("remoteWrite[0].queue.minBackoff", "100ms");
            sets.put("remoteWrite[0].queue.maxBackoff", "1s");
            sets.put("clusterName", "pod-e2e");
            sets.put("config.scrape.interval", "1s");
            sets.put("config.scrape.timeout", "900ms");
            try (RunningPod pod = env.startReady(sets)) {
                await(Duration.ofSeconds(90), "the agent's own series and the application's arrived", () ->
                        present("vedetta_build_info{job=\"vedetta\",node=\"" + AgentPodEnvironment.NODE + "\"}")
                                && present("app_scrapes_served_total{pod=\"shop-7c9d-1\"}"));
                JsonNode scraped = receiver.query("app_scrapes_served_total{pod=\"shop-7c9d-1\"}").get(0).path("metric");
                assertEquals("rw-pod", scraped.path("namespace").asText());
                assertEquals("rw-pod/shop", scraped.path("job").asText());
                assertEquals(AgentPodEnvironment.NODE, scraped.path("node").asText());
                assertEquals("pod-e2e", scraped.path("cluster").asText(), "the chart's clusterName");
                assertTrue(segments(wal) > 0, "the write-ahead log is in the pod's state volume, on the node");

                long before = app.scrapes();
                await(Duration.ofSeconds(30), "a few more scrapes", () -> app.scrapes() >= before + 5);
                pod.killContainer();
                pod.awaitRestarts(1, Duration.ofSeconds(60)).awaitReady(Duration.ofSeconds(90));
                long served = app.scrapes();
                await(Duration.ofSeconds(60), "the scrapes after the restart arrived", () ->
                        present("app_scrapes_served_total{pod=\"shop-7c9d-1\"} >= " + (served + 3)));

                assertEquals(137, pod.lastExit().code());
                List<double[]> samples = CounterSamples.of(receiver, "app_scrapes_served_total{pod=\"shop-7c9d-1\"}",
                        "10m");
                CounterSamples.assertConsecutive(samples, 1);
                CounterSamples.assertGapsAtMost(samples, 1, 1.6);
                assertEquals(0.0, CounterSamples.refusedWrites(receiver), "the receiver refused a request: something"
                        + " was sent twice or out of order");
            }
        } finally {
            env.api.deletePod("rw-pod", "shop-7c9d-1");
            deleteTree(wal);
        }
    }

    /** The log's segment files (named by number, as Prometheus names them). */
    private static long segments(Path wal) {
        try (Stream<Path> files = Files.walk(wal)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d+")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The log goes with the test, so the node's state directory is as the other pod tests expect it. */
    private static void deleteTree(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
