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

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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

    private static LogDocument annotated(String namespace, String index) {
        return document(pod(namespace, Map.of(LogDocument.ROUTE_ANNOTATION, index)), ref(namespace));
    }

    private static ContainerRef ref(String namespace) {
        return new ContainerRef(namespace, "web-1", "web", "");
    }

    private IndexRouter router(IndexRoutes routes) {
        return new IndexRouter(routes, registry);
    }

    private static IndexRoutes routes(AnnotationScope annotation, int maxRoutesPerNamespace) {
        IndexRoutes d = IndexRoutes.defaults();
        return new IndexRoutes(d.mode(), d.dataStreamPrefix(), d.dailyPrefix(), d.dailyByNamespace(), d.defaultRoute(),
                annotation, maxRoutesPerNamespace);
    }

    private static IndexRoutes daily(boolean byNamespace) {
        return new IndexRoutes(IndexMode.DAILY, "logs-", byNamespace ? "app" : "logstash", byNamespace, "default",
                AnnotationScope.NAMESPACED, 10);
    }

    private double refused(String reason) {
        return registry.get("vedetta.log.routes.refused").tag("reason", reason).counter().count();
    }

    @Test
    void dataStreamPerNamespaceByDefault() {
        assertEquals("logs-kubernetes.container-shop",
                router(IndexRoutes.defaults()).route(document(pod("shop", Map.of()), ref("shop")), 0));
    }

    @Test
    void anAnnotationChoosesASuffixUnderItsOwnNamespaceOnly() {
        IndexRouter router = router(IndexRoutes.defaults());

        assertEquals("logs-kubernetes.container-shop.payments", router.route(annotated("shop", "payments"), 0));
        assertEquals("logs-kubernetes.container-shop.kube-system", router.route(annotated("shop", "kube-system"), 0),
                "naming another namespace reaches only a suffix of its own");
        assertEquals(0.0, refused(AnnotatedRoutes.INVALID) + refused(AnnotatedRoutes.LIMIT));
    }

    @Test
    void anInvalidSuffixGoesToTheNamespacesOwnStreamAndIsCounted() {
        IndexRouter router = router(IndexRoutes.defaults());

        for (String bad : List.of("Payments", "../audit", "a b", "-x", ".hidden", "a".repeat(64), "x,y", "a:b", "é")) {
            assertEquals("logs-kubernetes.container-shop", router.route(annotated("shop", bad), 0), bad);
        }
        assertEquals("logs-kubernetes.container-shop", router.route(annotated("shop", "Payments"), 0));

        assertEquals(10.0, refused(AnnotatedRoutes.INVALID), "every record, cached decisions included");
        assertEquals("logs-kubernetes.container-shop." + "a".repeat(63),
                router.route(annotated("shop", "a".repeat(63)), 0), "63 characters still fit");
    }

    @Test
    void aNamespaceGetsAtMostItsCapOfDistinctSuffixes() {
        IndexRouter router = router(routes(AnnotationScope.NAMESPACED, 2));

        assertEquals("logs-kubernetes.container-shop.a", router.route(annotated("shop", "a"), 0));
        assertEquals("logs-kubernetes.container-shop.b", router.route(annotated("shop", "b"), 0));
        assertEquals("logs-kubernetes.container-shop", router.route(annotated("shop", "c"), 0), "over the cap");
        assertEquals("logs-kubernetes.container-shop.a", router.route(annotated("shop", "a"), 0), "admitted stay");
        assertEquals("logs-kubernetes.container-bank.c", router.route(annotated("bank", "c"), 0),
                "the cap is per namespace");
        assertEquals(1.0, refused(AnnotatedRoutes.LIMIT));
    }

    @Test
    void trustingEveryPodOwnerLetsTheAnnotationNameAnyTargetMadeAValidName() {
        IndexRouter router = router(routes(AnnotationScope.ANY, 10));

        assertEquals("logs-kubernetes.container-payments_audit_trail",
                router.route(annotated("shop", "Payments/Audit Trail"), 0));
        assertEquals("logs-kubernetes.container-kube-system", router.route(annotated("shop", "kube-system"), 0));
    }

    @Test
    void theAnnotationCanBeIgnored() {
        assertEquals("logs-kubernetes.container-shop",
                router(routes(AnnotationScope.OFF, 10)).route(annotated("shop", "payments"), 0));
    }

    @Test
    void unknownPodsRouteByTheNamespaceInTheirFileName() {
        assertEquals("logs-kubernetes.container-batch", router(IndexRoutes.defaults()).route(document(null, ref("batch")), 0));
    }

    @Test
    void dailyIndicesUseTheRecordsUtcDay() {
        assertEquals("logstash-2024.01.02", router(daily(false)).route(document(pod("shop", Map.of()), ref("shop")), 0));
        assertEquals("app-shop-2024.01.02", router(daily(true)).route(document(pod("shop", Map.of()), ref("shop")), 0));
        assertEquals("logstash-shop.payments-2024.01.02", router(daily(false)).route(annotated("shop", "payments"), 0));
        assertEquals("logstash-2024.01.02", router(daily(false)).route(annotated("shop", "Bad"), 0),
                "a refused annotation goes where the record goes without one");
    }

    /** One router, records of other namespaces and days in turn: none gets the name the one before it got. */
    @Test
    void recordsOfOtherRoutesAndDaysInTurnEachGetTheirOwnName() {
        IndexRouter router = router(daily(true));
        long nextDay = JAN_2_2024 + 86_400_000_000_000L;
        Document shop = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8), new RoutingKey("shop", "", JAN_2_2024));
        Document shopTomorrow = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8),
                new RoutingKey("shop", "", nextDay));
        Document web = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8), new RoutingKey("web", "", JAN_2_2024));

        for (int round = 0; round < 2; round++) {
            assertEquals("app-shop-2024.01.02", router.route(shop, 0));
            assertEquals("app-shop-2024.01.02", router.route(shop, 0));
            assertEquals("app-shop-2024.01.03", router.route(shopTomorrow, 0));
            assertEquals("app-web-2024.01.02", router.route(web, 0));
        }
    }

    @Test
    void documentsWithoutPodRouteToTheDefault() {
        Document plain = Records.json("{}");
        assertEquals("logs-kubernetes.container-default", router(IndexRoutes.defaults()).route(plain, JAN_2_2024));
        assertEquals("logstash-2024.01.02", router(daily(false)).route(plain, JAN_2_2024));
    }

    @Test
    void aRecordOfAnotherStreamGoesToThatStreamsTargets() {
        IndexRoutes.Stream events = new IndexRoutes.Stream("logs-kubernetes.events-", "kubernetes-events", "{}");
        IndexRouter router = router(IndexRoutes.defaults().withStream("events", events));
        Document event = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8),
                new RoutingKey("shop", "", JAN_2_2024, "events"));
        assertEquals("logs-kubernetes.events-shop", router.route(event, 0));
        assertEquals("logs-kubernetes.container-shop", router.route(document(pod("shop", Map.of()), ref("shop")), 0),
                "container logs of the same namespace keep their own data stream");

        IndexRouter daily = router(new IndexRoutes(IndexMode.DAILY, "logs-", "logstash", true, "default",
                AnnotationScope.NAMESPACED, IndexRoutes.DEFAULT_MAX_ROUTES_PER_NAMESPACE).withStream("events", events));
        assertEquals("kubernetes-events-shop-2024.01.02", daily.route(event, 0));
        assertEquals("logstash-shop-2024.01.02", daily.route(document(pod("shop", Map.of()), ref("shop")), 0));
    }

    @Test
    void aStreamTheRoutesDoNotKnowGoesWithTheContainerLogs() {
        IndexRouter router = router(IndexRoutes.defaults());
        Document stray = Document.ofJson("{}".getBytes(StandardCharsets.UTF_8), new RoutingKey("shop", "", 0, "events"));
        assertEquals("logs-kubernetes.container-shop", router.route(stray, 0));
    }
}
