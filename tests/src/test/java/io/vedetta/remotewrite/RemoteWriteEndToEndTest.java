package io.vedetta.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.ScrapedApp;
import io.vedetta.testkit.SimulatedNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent (the packaged jar, as its own process) scraping annotated pods of a simulated node and its own series,
 * and pushing them by remote_write to a real Prometheus started with {@code --web.enable-remote-write-receiver}; the
 * pods' applications are client_java applications on loopback. One Prometheus for the class; an agent per test.
 */
class RemoteWriteEndToEndTest {

    private static final String NODE = "rw-node";
    @TempDir
    static Path dir;
    private static PrometheusProcess receiver;
    private static SimulatedNode node;
    private static final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = PrometheusProcess.start(dir.resolve("prometheus"), "global: {scrape_interval: 1m}\n",
                List.of("--web.enable-remote-write-receiver"));
        node = new SimulatedNode(NODE);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static ScrapedApp app(int series, boolean textOnly) {
        ScrapedApp app = new ScrapedApp(series, textOnly);
        closeables.add(app);
        return app;
    }

    /** A running pod of the node, on loopback, annotated for scraping on {@code port}. */
    private static void annotatedPod(String namespace, String name, String app, int port) {
        node.addRunningPod(namespace, name, app, "app");
        node.update(namespace, name, pod -> annotate(pod, port));
    }

    private static Pod annotate(Pod pod, int port) {
        pod.getStatus().setPodIP("127.0.0.1");
        // As a Deployment's pod carries it: the job is the Deployment's name, without this hash.
        pod.getMetadata().getLabels().put("pod-template-hash", "5d9c7b");
        pod.getMetadata().getAnnotations().put("prometheus.io/scrape", "true");
        pod.getMetadata().getAnnotations().put("prometheus.io/port", String.valueOf(port));
        return pod;
    }

    private static AgentProcess agent(String name, String protocols) {
        String config = """
                kubernetes:
                  apiServer: %s
                metrics:
                  kubelet: {enabled: false}
                scrape:
                  interval: 1s
                  timeout: 900ms
                  protocols: [%s]
                remoteWrite:
                  walDir: %s
                  endpoints:
                    - name: e2e
                      url: %s/api/v1/write
                      queue: {batchSendDeadline: 200ms, minBackoff: 100ms, maxBackoff: 1s}
                """.formatted(node.apiServerUrl(), protocols, dir.resolve(name).resolve("wal"), receiver.url());
        AgentProcess agent = AgentProcess.start(dir.resolve(name), config, Map.of("NODE_NAME", NODE));
        closeables.add(agent);
        return agent;
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) {
        assertTrue(Http.await(timeout, condition), "timed out waiting until " + what);
    }

    private static boolean present(String query) {
        return !receiver.query(query).isEmpty();
    }

    @Test
    void receiverStoresTheAgentsAndTwoApplicationsSeriesWithTheirLabels() {
        ScrapedApp text = app(5, true);
        ScrapedApp negotiating = app(5, false);
        annotatedPod("shop", "checkout-1", "checkout", text.port());
        annotatedPod("shop", "payments-1", "payments", negotiating.port());
        try (AgentProcess agent = agent("labels", "PrometheusProto, OpenMetricsText1.0.0, PrometheusText0.0.4")) {
            await(Duration.ofSeconds(60), "both applications' series arrived", () ->
                    present("app_series{pod=\"checkout-1\",i=\"4\"}") && present("app_series{pod=\"payments-1\"}"));

            JsonNode checkout = receiver.query("app_scrapes_served_total{pod=\"checkout-1\"}").get(0).path("metric");
            assertEquals("shop", checkout.path("namespace").asText());
            assertEquals("app", checkout.path("container").asText(), checkout.toString());
            assertEquals(NODE, checkout.path("node").asText());
            assertEquals("shop/checkout", checkout.path("job").asText());
            assertEquals("127.0.0.1:" + text.port(), checkout.path("instance").asText());
            assertTrue(negotiating.lastContentType().contains("protobuf"), negotiating.lastContentType());
            assertEquals(1.0, receiver.value("up{job=\"shop/payments\",pod=\"payments-1\"}"));
            await(Duration.ofSeconds(30), "the agent's own series arrived", () ->
                    present("vedetta_build_info{job=\"vedetta\",node=\"" + NODE + "\"}")
                            && present("prometheus_remote_storage_samples_total{remote_name=\"e2e\"}"));
        } finally {
            node.deletePod("shop", "checkout-1");
            node.deletePod("shop", "payments-1");
        }
    }

    @Test
    void targetsFollowTheirPodsAndADeletedPodsSeriesEndAtOnce() {
        ScrapedApp first = app(3, false);
        ScrapedApp second = app(3, false);
        try (AgentProcess agent = agent("follow", "OpenMetricsText1.0.0, PrometheusText0.0.4")) {
            annotatedPod("shop", "cart-1", "cart", first.port());
            await(Duration.ofSeconds(30), "the new pod is scraped", () ->
                    present("up{pod=\"cart-1\",instance=\"127.0.0.1:" + first.port() + "\"} == 1"));

            node.update("shop", "cart-1", pod -> annotate(pod, second.port()));
            await(Duration.ofSeconds(30), "the changed port is scraped and the old target's series end", () ->
                    present("up{pod=\"cart-1\",instance=\"127.0.0.1:" + second.port() + "\"} == 1")
                            && !present("up{pod=\"cart-1\",instance=\"127.0.0.1:" + first.port() + "\"}"));

            node.deletePod("shop", "cart-1");
            // Without staleness markers the series would still be returned for five minutes.
            await(Duration.ofSeconds(15), "the deleted pod's series are absent", () ->
                    !present("up{pod=\"cart-1\"}") && !present("app_series{pod=\"cart-1\"}"));
        }
    }

    @Test
    void losesNoSampleWhileTheReceiverIsDownForAMinute() throws Exception {
        ScrapedApp app = app(50, false);
        annotatedPod("shop", "outage-1", "outage", app.port());
        try (AgentProcess agent = agent("outage", "OpenMetricsText1.0.0, PrometheusText0.0.4")) {
            await(Duration.ofSeconds(30), "samples arrive", () -> present("app_scrapes_served_total{pod=\"outage-1\"}"));
            long servedBefore = app.scrapes();
            receiver.close();
            long outageEnds = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            double backlogDuringOutage = 0;
            while (System.nanoTime() < outageEnds) {
                Thread.sleep(1000);
                backlogDuringOutage = Math.max(backlogDuringOutage,
                        agent.metricStartingWith("vedetta_remote_write_backlog_bytes{remote_name=\"e2e\""));
            }
            assertTrue(app.scrapes() - servedBefore >= 50, "the agent kept scraping");
            assertTrue(backlogDuringOutage > 0, "the write-ahead log held the samples");
            receiver = receiver.restart();

            await(Duration.ofSeconds(90), "the backlog drained", () ->
                    agent.metricStartingWith("vedetta_remote_write_backlog_bytes{remote_name=\"e2e\"") < 64 * 1024
                            && agent.metricStartingWith("prometheus_remote_storage_samples_pending{remote_name=\"e2e\"") == 0
                            && present("app_scrapes_served_total{pod=\"outage-1\"} >= " + (app.scrapes() - 2)));

            List<double[]> samples = CounterSamples.of(receiver, "app_scrapes_served_total{pod=\"outage-1\"}", "5m");
            CounterSamples.assertConsecutive(samples, 0);
            assertTrue(samples.size() >= 60, samples.size() + " samples");
            assertTrue(present("max_over_time(vedetta_remote_write_backlog_bytes{remote_name=\"e2e\",instance=\""
                    + NODE + ":" + agent.port() + "\"}[5m]) > 100000"), "the backlog's growth reached the receiver too");
        } finally {
            node.deletePod("shop", "outage-1");
        }
    }

    @Test
    void sigkilledThreeTimesWhilePushingLeavesNoGapButTheSecondsItWasDown() throws Exception {
        ScrapedApp app = app(50, false);
        annotatedPod("shop", "kill-1", "kill", app.port());
        AgentProcess agent = agent("sigkill", "OpenMetricsText1.0.0, PrometheusText0.0.4");
        try {
            await(Duration.ofSeconds(30), "samples arrive", () -> present("app_scrapes_served_total{pod=\"kill-1\"}"));
            for (int kill = 0; kill < 3; kill++) {
                Thread.sleep(4000 + 1000L * kill);
                agent.process().kill();
                Thread.sleep(2000);
                agent = agent("sigkill", "OpenMetricsText1.0.0, PrometheusText0.0.4");
            }
            long served = app.scrapes();
            await(Duration.ofSeconds(60), "the last scrapes arrived", () ->
                    present("app_scrapes_served_total{pod=\"kill-1\"} >= " + served));

            List<double[]> samples = CounterSamples.of(receiver, "app_scrapes_served_total{pod=\"kill-1\"}", "5m");
            CounterSamples.assertConsecutive(samples, 3);
            CounterSamples.assertGapsAtMost(samples, 3, 1.6);
            assertEquals(0.0, CounterSamples.refusedWrites(receiver), "the receiver refused a request: something was"
                    + " sent twice or out of order");
        } finally {
            agent.close();
            node.deletePod("shop", "kill-1");
        }
    }
}
