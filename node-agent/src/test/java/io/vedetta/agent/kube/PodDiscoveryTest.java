package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vedetta.agent.config.KubernetesConfig;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pod discovery against fabric8's mock API server in expectations mode: every request must match its exact
 * path, field selector included (CRUD mode would ignore the selector).
 */
class PodDiscoveryTest {

    private static final String SELECTOR = "fieldSelector=spec.nodeName%3Dnode-a";
    /** The first list may be served from the API server's watch cache (resourceVersion=0). */
    private static final String FIRST_LIST = "/api/v1/pods?" + SELECTOR + "&resourceVersion=0";
    /** A relist after 410 Gone asks for the latest state. */
    private static final String RELIST = "/api/v1/pods?" + SELECTOR;
    private static final String ID_1 = "1".repeat(64);
    private static final String ID_2 = "2".repeat(64);
    private static final String ID_3 = "3".repeat(64);

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final Registries registries = new Registries();
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PodCache cache = new PodCache(Duration.ofSeconds(120), clock);
    private PodDiscovery discovery;

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.stop(Duration.ZERO);
        }
        server.shutdown();
    }

    @Test
    void listsAndWatchesOnlyThePodsOfItsNode() throws Exception {
        server.expect().get().withPath(FIRST_LIST).andReturn(200, list("4", Pods.running("shop", "web-0", "uid-1", ID_1))).once();
        server.expect().get().withPath(watch("4")).andUpgradeToWebSocket().open().done().always();
        server.start();

        start(server.createClient(new JdkHttpClientFactory()));

        await("ready", () -> discovery.notReadyReason().isEmpty());
        assertEquals(FIRST_LIST, request().getPath());
        assertEquals(watch("4"), request().getPath());
        assertEquals("web-0", cache.byUid("uid-1").orElseThrow().name());
        await("synced", discovery::synced);
    }

    @Test
    void addedModifiedAndDeletedPodsReachTheCache() {
        server.expect().get().withPath(FIRST_LIST).andReturn(200, list("4", Pods.running("shop", "web-0", "uid-1", ID_1))).once();
        Pod restarted = Pods.running("shop", "web-0", "uid-1", ID_2);
        restarted.getMetadata().setResourceVersion("5");
        restarted.getStatus().getContainerStatuses().get(0).setRestartCount(1);
        server.expect().get().withPath(watch("4")).andUpgradeToWebSocket().open()
                .waitFor(50).andEmit(new WatchEvent(restarted, "MODIFIED"))
                .waitFor(50).andEmit(new WatchEvent(Pods.running("shop", "api-0", "uid-2", ID_3), "ADDED"))
                .waitFor(50).andEmit(new WatchEvent(Pods.running("shop", "api-0", "uid-2", ID_3), "DELETED"))
                .done().once();
        server.start();

        start(server.createClient(new JdkHttpClientFactory()));

        await("api-0 added then deleted", () -> cache.byUid("uid-2").isPresent() && liveUids().equals(Set.of("uid-1")));
        assertEquals(1, cache.state("uid-1").orElseThrow().containers().get(0).restartCount());
        assertEquals("uid-1", cache.byContainerId(ID_2).orElseThrow().uid());
        assertEquals("uid-1", cache.byName("shop", "web-0").orElseThrow().uid());
        assertEquals("api-0", cache.byContainerId("containerd://" + ID_3).orElseThrow().name(),
                "a deleted pod's last lines are still enriched");
        clock.advance(Duration.ofSeconds(120));
        assertTrue(cache.byUid("uid-2").isEmpty());
    }

    @Test
    void becomesReadyWhenTheApiServerComesUpLate() throws Exception {
        int port = freePort();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).build())
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();

        start(client);

        await("a failed list counted", () -> errors("connect") >= 1);
        String reason = discovery.notReadyReason().orElseThrow();
        assertTrue(reason.startsWith("pod informer has not synced: connection refused (http://127.0.0.1:" + port),
                reason);
        assertTrue(exposition().stream().anyMatch(l -> l.startsWith("vedetta_kube_watch_errors_total{reason=\"connect\"} ")),
                "the error counter is exposed on /metrics");

        server.expect().get().withPath(FIRST_LIST).andReturn(200, list("4", Pods.running("shop", "web-0", "uid-1", ID_1))).once();
        server.expect().get().withPath(watch("4")).andUpgradeToWebSocket().open().done().always();
        server.start(port);

        await("ready", () -> discovery.notReadyReason().isEmpty());
        assertTrue(cache.byUid("uid-1").isPresent());
        assertTrue(discovery.synced());
    }

    @Test
    void saysWhyTheApiServerRefusesToListPods() {
        server.expect().get().withPath(FIRST_LIST).andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("pods is forbidden: User \"system:serviceaccount:vedetta:vedetta\" cannot list resource"
                        + " \"pods\" in API group \"\" at the cluster scope").build()).always();
        server.start();

        start(server.createClient(new JdkHttpClientFactory()));

        await("a refused list counted", () -> errors("http_403") >= 1);
        assertTrue(discovery.notReadyReason().orElseThrow()
                .startsWith("pod informer has not synced: HTTP 403: pods is forbidden: User \"system:serviceaccount"),
                discovery.notReadyReason().orElseThrow());
        assertFalse(discovery.synced());
    }

    @Test
    void keepsNamespaceLabelsWhenAskedTo() {
        // The lists answer every time: the mock closes each watch at once, and on a loaded machine a watch reconnect
        // can fail before readiness is checked, which restarts the informer and lists again (SupervisedInformer).
        server.expect().get().withPath(FIRST_LIST).andReturn(200, list("4")).always();
        server.expect().get().withPath(watch("4")).andUpgradeToWebSocket().open().done().always();
        server.expect().get().withPath("/api/v1/namespaces?resourceVersion=0").andReturn(200, new NamespaceListBuilder()
                .withNewMetadata().withResourceVersion("6").endMetadata()
                .addNewItem().withNewMetadata().withName("shop").addToLabels("team", "payments").endMetadata().endItem()
                .build()).always();
        server.expect().get().withPath("/api/v1/namespaces?allowWatchBookmarks=true&resourceVersion=6&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open().done().always();
        server.start();

        start(server.createClient(new JdkHttpClientFactory()), true);

        await("ready", () -> discovery.notReadyReason().isEmpty() && discovery.synced());
        assertEquals(Map.of("team", "payments"), cache.namespaceLabels("shop"));
    }

    @Test
    void relistsAfterWatchGoneAndForgetsPodsDeletedMeanwhile() {
        server.expect().get().withPath(FIRST_LIST).andReturn(200, list("4",
                Pods.running("shop", "web-0", "uid-1", ID_1), Pods.running("shop", "api-0", "uid-2", ID_2))).once();
        server.expect().get().withPath(watch("4")).andUpgradeToWebSocket().open()
                .waitFor(100).andEmit(new WatchEvent(new StatusBuilder().withCode(410).withReason("Expired")
                        .withMessage("too old resource version: 4 (9)").build(), "ERROR"))
                .done().once();
        server.expect().get().withPath(RELIST).andReturn(200, list("9",
                Pods.running("shop", "api-0", "uid-2", ID_2), Pods.running("shop", "db-0", "uid-3", ID_3))).once();
        server.expect().get().withPath(watch("9")).andUpgradeToWebSocket().open().done().always();
        server.start();

        start(server.createClient(new JdkHttpClientFactory()));

        await("relisted", () -> liveUids().equals(Set.of("uid-2", "uid-3")));
        assertTrue(cache.byUid("uid-1").isPresent(), "web-0 went while the watch was gone: it is in its grace");
        assertTrue(discovery.notReadyReason().isEmpty());
    }

    private void start(KubernetesClient client) {
        start(client, false);
    }

    private void start(KubernetesClient client, boolean namespaceLabels) {
        KubernetesConfig config = new KubernetesConfig(true, Pods.NODE, Optional.empty(), namespaceLabels,
                Duration.ofSeconds(120), Duration.ofMillis(50), Duration.ofMillis(200));
        // Through the agent's own client setup, whose serialization maps only the kinds the agent watches.
        discovery = new PodDiscovery(config, KubeClients.reconfigured(client, b -> b), cache, registries);
        discovery.start();
    }

    private Set<String> liveUids() {
        return cache.livePods().stream().map(PodState::uid).collect(Collectors.toSet());
    }

    private double errors(String reason) {
        Counter counter = registries.micrometer().find("vedetta_kube_watch_errors").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> exposition() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registries.prometheus().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private RecordedRequest request() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    private static String watch(String resourceVersion) {
        return "/api/v1/pods?allowWatchBookmarks=true&" + SELECTOR + "&resourceVersion=" + resourceVersion
                + "&timeoutSeconds=600&watch=true";
    }

    private static io.fabric8.kubernetes.api.model.PodList list(String resourceVersion, Pod... pods) {
        return new PodListBuilder().withNewMetadata().withResourceVersion(resourceVersion).endMetadata()
                .withItems(List.of(pods)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }
}
