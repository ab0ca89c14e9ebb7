package io.vedetta.logs.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.enrich.ContainerRef;
import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.enrich.Enricher;
import io.vedetta.logs.enrich.LogDocument;
import io.vedetta.logs.parse.LogEvent;
import io.vedetta.logs.parse.LogFormat;
import io.vedetta.logs.parse.LogStream;
import io.vedetta.logs.parse.Utf8Text;
import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;
import io.vedetta.logs.testing.PodFixtures;
import io.vedetta.logs.testing.Records;
import io.vedetta.pods.PodInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexRouterTest {

    private static final long JAN_2_2024 = Instant.parse("2024-01-02T03:04:05Z").toEpochMilli() * 1_000_000L;

    private static LogDocument document(PodInfo pod, ContainerRef ref) {
        PodFixtures pods = pod == null ? new PodFixtures() : new PodFixtures(pod);
        LogEvent event = new LogEvent(JAN_2_2024, LogStream.STDOUT, LogFormat.CRI, Utf8Text.of("hello"),
                null, 0, 10, 10, 1, Set.of());
        return new Enricher(EnrichConfig.defaults(), pods, new SimpleMeterRegistry(), Clock.systemUTC())
                .forFile(ref).enrich(event);
    }

    private static PodInfo pod(String namespace, Map<String, String> annotations) {
        return new PodInfo(namespace, "web-1", "uid-1", "node-a", Map.of(), annotations, "", "",
                List.of(new PodInfo.ContainerInfo("web", "nginx", "", "", "", 0)));
    }

    private static ContainerRef ref(String namespace) {
        return new ContainerRef(namespace, "web-1", "web", "");
    }

    @Test
    void dataStreamPerNamespaceByDefault() {
        IndexRouter router = new IndexRouter(IndexRoutes.defaults());
        assertEquals("logs-kubernetes.container-shop", router.route(document(pod("shop", Map.of()), ref("shop")), 0));
    }

    @Test
    void podAnnotationOverridesTheNamespaceAndIsMadeAValidName() {
        IndexRouter router = new IndexRouter(IndexRoutes.defaults());
        LogDocument doc = document(pod("shop", Map.of(LogDocument.ROUTE_ANNOTATION, "Payments/Audit Trail")), ref("shop"));
        assertEquals("logs-kubernetes.container-payments_audit_trail", router.route(doc, 0));
    }

    @Test
    void unknownPodsRouteByTheNamespaceInTheirFileName() {
        IndexRouter router = new IndexRouter(IndexRoutes.defaults());
        assertEquals("logs-kubernetes.container-batch", router.route(document(null, ref("batch")), 0));
    }

    @Test
    void dailyIndicesUseTheRecordsUtcDay() {
        IndexRouter router = new IndexRouter(new IndexRoutes(IndexMode.DAILY, "logs-", "logstash", false, "default"));
        assertEquals("logstash-2024.01.02", router.route(document(pod("shop", Map.of()), ref("shop")), 0));
        IndexRouter byNamespace = new IndexRouter(new IndexRoutes(IndexMode.DAILY, "logs-", "app", true, "default"));
        assertEquals("app-shop-2024.01.02", byNamespace.route(document(pod("shop", Map.of()), ref("shop")), 0));
    }

    @Test
    void documentsWithoutPodRouteToTheDefault() {
        IndexRouter router = new IndexRouter(IndexRoutes.defaults());
        Document plain = Records.json("{}");
        assertEquals("logs-kubernetes.container-default", router.route(plain, JAN_2_2024));
        IndexRouter daily = new IndexRouter(new IndexRoutes(IndexMode.DAILY, "logs-", "logstash", false, "default"));
        assertEquals("logstash-2024.01.02", daily.route(plain, JAN_2_2024));
    }

    @Test
    void aRecordOfAnotherStreamGoesToThatStreamsTargets() {
        IndexRoutes.Stream events = new IndexRoutes.Stream("logs-kubernetes.events-", "kubernetes-events", "{}");
        IndexRouter router = new IndexRouter(IndexRoutes.defaults().withStream("events", events));
        Document event = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8),
                new RoutingKey("shop", "", JAN_2_2024, "events"));
        assertEquals("logs-kubernetes.events-shop", router.route(event, 0));
        assertEquals("logs-kubernetes.container-shop", router.route(document(pod("shop", Map.of()), ref("shop")), 0),
                "container logs of the same namespace keep their own data stream");

        IndexRouter daily = new IndexRouter(new IndexRoutes(IndexMode.DAILY, "logs-", "logstash", true, "default")
                .withStream("events", events));
        assertEquals("kubernetes-events-shop-2024.01.02", daily.route(event, 0));
        assertEquals("logstash-shop-2024.01.02", daily.route(document(pod("shop", Map.of()), ref("shop")), 0));
    }

    @Test
    void aStreamTheRoutesDoNotKnowGoesWithTheContainerLogs() {
        IndexRouter router = new IndexRouter(IndexRoutes.defaults());
        Document stray = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8), new RoutingKey("shop", "", 0, "events"));
        assertEquals("logs-kubernetes.container-shop", router.route(stray, 0));
    }

    @Test
    void aStreamsKeySurvivesTheBufferAndOldKeysStillRead() {
        RoutingKey event = new RoutingKey("shop", "", 42, "events");
        assertEquals(event, RoutingKey.decode(event.encode()));
        RoutingKey log = new RoutingKey("shop", "audit", 42);
        assertEquals("shop\u0000audit\u000042", log.encode(), "a container log's key is written as before streams");
        assertEquals(log, RoutingKey.decode(log.encode()));
    }
}
