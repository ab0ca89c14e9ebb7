package io.vedetta.logs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.parse.JsonFields;
import io.vedetta.logs.parse.LogEvent;
import io.vedetta.logs.parse.LogFormat;
import io.vedetta.logs.parse.LogStream;
import io.vedetta.logs.parse.Utf8Text;
import io.vedetta.logs.settings.InvalidSettingException;
import io.vedetta.logs.testing.PodFixtures;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import io.vedetta.testing.TestClock;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileEnricherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContainerRef SHOP = new ContainerRef("shop", "shop-7c9d8f6b5-x2x4q", "shop",
            PodFixtures.SHOP_CONTAINER_ID);

    private final TestClock clock = new TestClock(Instant.parse("2024-01-02T03:05:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static LogEvent event(String message) {
        return new LogEvent(1_704_164_645_123_456_789L, LogStream.STDOUT,
                LogFormat.CRI, Utf8Text.of(message), null, 0, 10, 10, 1, Set.of());
    }

    private static JsonNode json(LogDocument doc) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            doc.writeTo(g);
        }
        return JSON.readTree(out.toString());
    }

    private static PodInfo podWithLabels(Map<String, String> labels) {
        PodInfo shop = PodFixtures.shopPod();
        return new PodInfo(shop.namespace(), shop.name(), shop.uid(), shop.nodeName(), labels, Map.of(),
                shop.ownerKind(), shop.ownerName(), shop.containers());
    }

    private FileEnricher enricher(EnrichConfig config, PodMetadata pods) {
        return new Enricher(config, pods, registry, clock).forFile(SHOP);
    }

    @Test
    void deDotsLabelKeysSoTheyDoNotConflict() throws IOException {
        PodFixtures pods = new PodFixtures(podWithLabels(Map.of("app", "shop", "app.kubernetes.io/name", "shop")));
        JsonNode labels = json(enricher(EnrichConfig.defaults(), pods).enrich(event("x"))).at("/kubernetes/labels");

        List<String> keys = new ArrayList<>();
        labels.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("app", "app_kubernetes_io/name"), keys);
        assertEquals("shop", labels.get("app_kubernetes_io/name").asText());
    }

    @Test
    void keepsDotsWhenDeDotIsOff() throws IOException {
        PodFixtures pods = new PodFixtures(podWithLabels(Map.of("app.kubernetes.io/name", "shop")));
        EnrichConfig config = new EnrichConfig(FieldStyle.FLUENTD, true, false, false, "_", "json",
                Duration.ofSeconds(5));

        JsonNode labels = json(enricher(config, pods).enrich(event("x"))).at("/kubernetes/labels");
        assertEquals("shop", labels.get("app.kubernetes.io/name").asText());
    }

    @Test
    void leavesOutTheKeyThatCollidesAfterDeDotting() throws IOException {
        PodFixtures pods = new PodFixtures(podWithLabels(Map.of("team.name", "from-dotted", "team_name", "literal")));
        JsonNode labels = json(enricher(EnrichConfig.defaults(), pods).enrich(event("x"))).at("/kubernetes/labels");

        assertEquals(1, labels.size(), "a duplicate key would get every record of the pod rejected");
        assertEquals("literal", labels.get("team_name").asText());
        assertEquals(1, registry.get("vedetta.log.key.collisions").counter().count());
    }

    @Test
    void looksPodUpOncePerFileNotPerRecord() {
        PodFixtures pods = new PodFixtures(PodFixtures.shopPod());
        FileEnricher enricher = enricher(EnrichConfig.defaults(), pods);
        for (int i = 0; i < 1000; i++) {
            assertTrue(enricher.enrich(event("line " + i)).enriched());
        }

        assertEquals(List.of("byContainerId " + PodFixtures.SHOP_CONTAINER_ID), pods.calls());
    }

    @Test
    void findsPodByNameWhenContainerIdIsNotKnownYet() {
        PodFixtures pods = new PodFixtures(PodFixtures.shopPod());
        FileEnricher enricher = new Enricher(EnrichConfig.defaults(), pods, registry, clock)
                .forFile(new ContainerRef("shop", "shop-7c9d8f6b5-x2x4q", "shop", "0123"));

        assertEquals("shop-7c9d8f6b5-x2x4q", enricher.pod().orElseThrow().name());
    }

    @Test
    void shipsUnenrichedRecordsUntilThePodIsFoundAndRetriesAtMostEveryInterval() throws IOException {
        PodFixtures pods = new PodFixtures();
        FileEnricher enricher = enricher(EnrichConfig.defaults(), pods);

        JsonNode first = json(enricher.enrich(event("before")));
        assertEquals("shop-7c9d8f6b5-x2x4q", first.at("/kubernetes/pod_name").asText(), "from the file name");
        assertEquals("unenriched", first.at("/tags/0").asText());

        pods.add(PodFixtures.shopPod());
        clock.advance(Duration.ofMillis(4999));
        assertFalse(enricher.enrich(event("too soon to look again")).enriched());
        clock.advance(Duration.ofMillis(1));
        JsonNode later = json(enricher.enrich(event("after")));

        assertEquals("node-a", later.at("/kubernetes/host").asText());
        assertTrue(later.path("tags").isMissingNode());
        assertEquals(2, registry.get("vedetta.log.unenriched").counter().count());
        assertEquals(1, registry.get("vedetta.log.pod.lookups").tag("result", "missing").counter().count());
        assertEquals(1, registry.get("vedetta.log.pod.lookups").tag("result", "found").counter().count());
    }

    @Test
    void writesParsedJsonFieldsUnderTheConfiguredField() throws IOException {
        LogEvent plain = event("{\"user\":{\"id\":7},\"ok\":true,\"n\":1.5,\"tags\":[1,null]}");
        LogEvent parsed = new LogEvent(plain.epochNanos(), plain.stream(), plain.format(),
                plain.text(), new JsonFields(plain.message().getBytes(StandardCharsets.UTF_8)),
                0, 10, 10, 1, Set.of());
        EnrichConfig config = new EnrichConfig(FieldStyle.ECS, true, false, true, "_", "app", Duration.ofSeconds(5));

        JsonNode doc = json(enricher(config, new PodFixtures(PodFixtures.shopPod())).enrich(parsed));
        assertEquals(JSON.readTree(plain.message()), doc.get("app"));
        assertEquals(plain.message(), doc.get("message").asText());
        assertEquals("2024-01-02T03:04:05.123456789Z", doc.get("@timestamp").asText());
    }

    @Test
    void namesTheSettingThatIsWrong() {
        Duration s = Duration.ofSeconds(1);
        InvalidSettingException dot = assertThrows(InvalidSettingException.class,
                () -> new EnrichConfig(FieldStyle.FLUENTD, true, false, true, ".", "json", s));
        assertEquals("deDotSeparator", dot.setting(), dot.getMessage());
        InvalidSettingException field = assertThrows(InvalidSettingException.class,
                () -> new EnrichConfig(FieldStyle.FLUENTD, true, false, true, "_", "kubernetes", s));
        assertEquals("jsonField", field.setting(), field.getMessage());
        InvalidSettingException retry = assertThrows(InvalidSettingException.class,
                () -> new EnrichConfig(FieldStyle.FLUENTD, true, false, true, "_", "json", Duration.ZERO));
        assertEquals("podMetadataRetry", retry.setting(), retry.getMessage());
    }
}
