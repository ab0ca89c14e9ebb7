package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vedetta.testing.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeClientsTest {

    private final KubernetesMockServer server = new KubernetesMockServer(false);

    @AfterEach
    void stop() {
        server.shutdown();
    }

    private KubernetesClient agentClient() {
        return KubeClients.reconfigured(server.createClient(new JdkHttpClientFactory()), b -> b);
    }

    @Test
    void mapsTheWatchedKindsAndNotEveryModelOnTheClassPath() {
        server.start();
        try (KubernetesClient client = agentClient()) {
            KubernetesSerialization serialization = client.getKubernetesSerialization();
            for (Class<? extends KubernetesResource> kind : KubeClients.WATCHED_KINDS) {
                assertEquals(kind, serialization.getRegisteredKubernetesResource(HasMetadata.getApiVersion(kind),
                        HasMetadata.getKind(kind)), kind.getName());
            }
            // Both model jars are on the class path: fabric8's default serialization maps (and loads) them.
            assertNull(serialization.getRegisteredKubernetesResource("gateway.networking.k8s.io/v1", "Gateway"));
            assertNull(serialization.getRegisteredKubernetesResource("resource.k8s.io/v1", "ResourceClaim"));
        }
    }

    /** An informer lists again on a 410 Gone only if the ERROR event's object is read as a Status. */
    @Test
    void readsAWatchErrorAsAStatus() {
        server.start();
        try (KubernetesClient client = agentClient()) {
            WatchEvent event = client.getKubernetesSerialization().unmarshal("""
                    {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                     "message":"too old resource version: 4 (9)","reason":"Expired","code":410}}""",
                    WatchEvent.class);
            assertEquals(410, assertInstanceOf(Status.class, event.getObject()).getCode());
        }
    }

    @Test
    void deliversAWatchedKindItDoesNotMapAsItsOwnClass() {
        ConfigMap settings = new ConfigMapBuilder().withNewMetadata().withNamespace("shop").withName("settings")
                .withResourceVersion("7").endMetadata().addToData("mode", "fast").build();
        server.expect().get().withPath("/api/v1/namespaces/shop/configmaps?allowWatchBookmarks=true&watch=true")
                .andUpgradeToWebSocket().open().waitFor(50).andEmit(new WatchEvent(settings, "ADDED")).done().once();
        server.start();
        List<ConfigMap> received = new CopyOnWriteArrayList<>();
        try (KubernetesClient client = agentClient();
                Watch watch = client.configMaps().inNamespace("shop").watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        received.add(resource);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            Await.until("the ConfigMap's watch event", () -> !received.isEmpty());
            assertEquals("fast", received.get(0).getData().get("mode"));
        }
    }
}
