package io.vedetta.logs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.enrich.EnrichConfig;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.record.RecordId;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.sink.FileSink;
import io.vedetta.logs.tail.TailConfig;
import io.vedetta.logs.testing.PodFixtures;
import io.vedetta.pods.PodInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled pipeline on real files: kubelet layout in, NDJSON documents out, positions after delivery. */
class LogPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path containers;
    private Path pods;
    private Path out;
    private Path state;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The id of every record handed to the sink, in order, across restarts. */
    private final List<RecordId> sentIds = Collections.synchronizedList(new ArrayList<>());

    private Path kubeletLog(String pod, String namespace, String container, String id) throws IOException {
        containers = dir.resolve("containers");
        pods = dir.resolve("pods");
        Path real = pods.resolve(namespace + "_" + pod + "_uid/" + container + "/0.log");
        Files.createDirectories(real.getParent());
        Files.createDirectories(containers);
        Files.createFile(real);
        Files.createSymbolicLink(containers.resolve(pod + "_" + namespace + "_" + container + "-" + id + ".log"), real);
        return real;
    }

    private LogPipeline pipeline(PodFixtures metadata, Duration podWait) throws IOException {
        return pipeline(metadata, podWait, Set.of());
    }

    private LogPipeline pipeline(PodFixtures metadata, Duration podWait, Set<String> excludeNamespaces)
            throws IOException {
        out = dir.resolve("out.ndjson");
        state = dir.resolve("state");
        TailConfig tail = TailConfig.builder().paths(List.of(containers + "/*.log")).stateDir(state)
                .pollInterval(Duration.ofMillis(20)).checkpointInterval(Duration.ofMillis(50))
                .maxLineBytes(4 << 20).build();
        PipelineConfig config = new PipelineConfig(tail, ParseConfig.defaults(), EnrichConfig.defaults(), 100,
                Duration.ofMillis(50), 4, podWait, 1024, Set.of(), excludeNamespaces);
        LogPipeline pipeline = new LogPipeline(config, metadata, recordingIds(FileSink.appendingTo(out, registry)),
                registry, Clock.systemUTC());
        pipeline.start();
        return pipeline;
    }

    private Sink recordingIds(Sink sink) {
        return new Sink() {
            @Override
            public CompletableFuture<Void> send(List<SinkRecord> batch) {
                batch.forEach(r -> sentIds.add(r.id()));
                return sink.send(batch);
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }

    /**
     * The ids the lines of {@code log} must have, independently of the tailer's code: device and inode of the file,
     * the 64-bit FNV-1a hash of its first bytes up to the line's end (at most 1 KiB, the fingerprint), and the offset
     * the line starts at, each in hex. A change here re-sends every line under a new id after an upgrade, and
     * Elasticsearch would store each one twice.
     */
    private static List<String> expectedLineIds(Path log) throws IOException {
        Map<String, Object> key = Files.readAttributes(log, "unix:dev,ino");
        String file = Long.toHexString(((Number) key.get("dev")).longValue()) + "-"
                + Long.toHexString(((Number) key.get("ino")).longValue()) + "-";
        byte[] bytes = Files.readAllBytes(log);
        List<String> ids = new ArrayList<>();
        for (int start = 0, i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                long hash = 0xcbf29ce484222325L;
                for (int j = 0; j < Math.min(1024, i + 1); j++) {
                    hash = (hash ^ (bytes[j] & 0xff)) * 0x100000001b3L;
                }
                ids.add(file + Long.toHexString(hash) + "-" + Long.toHexString(start));
                start = i + 1;
            }
        }
        return ids;
    }

    private static void append(Path file, String... lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private List<JsonNode> documents() {
        List<JsonNode> docs = new ArrayList<>();
        try {
            if (Files.exists(out)) {
                for (String line : Files.readAllLines(out)) {
                    docs.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return docs;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void shipsEnrichedMergedRecordsFromKubeletLayout() throws Exception {
        Path log = kubeletLog("shop-7c9d8f6b5-x2x4q", "shop", "shop", PodFixtures.SHOP_CONTAINER_ID);
        try (LogPipeline pipeline = pipeline(new PodFixtures(PodFixtures.shopPod()), Duration.ofSeconds(2))) {
            append(log,
                    "2024-01-02T03:04:05.123456789Z stdout P hello ",
                    "2024-01-02T03:04:05.223456789Z stdout F world",
                    "2024-01-02T03:04:06.000000001Z stderr F java.lang.IllegalStateException: boom",
                    "2024-01-02T03:04:06.000000002Z stderr F \tat shop.Checkout.pay(Checkout.java:42)",
                    "2024-01-02T03:04:07.000000000Z stdout F done");
            await("three records", () -> documents().size() == 3);
        }

        List<JsonNode> docs = documents();
        assertEquals(3.0, registry.get("vedetta.log.records.acknowledged").tag("namespace", "shop").counter().count(),
                "delivered records are counted per namespace");
        assertEquals(5.0, registry.get("vedetta.log.namespace.lines.read").tag("namespace", "shop").counter().count(),
                "lines read are counted per namespace");
        assertEquals("hello world", docs.get(0).path("log").asText());
        assertEquals("2024-01-02T03:04:05.123456789Z", docs.get(0).path("@timestamp").asText());
        assertEquals("shop", docs.get(0).path("kubernetes").path("namespace_name").asText());
        assertEquals("shop-7c9d8f6b5-x2x4q", docs.get(0).path("kubernetes").path("pod_name").asText());
        assertTrue(docs.stream().anyMatch(d -> d.path("log").asText()
                .equals("java.lang.IllegalStateException: boom\n\tat shop.Checkout.pay(Checkout.java:42)")),
                "the pod's vedetta.io/multiline: java annotation joins the stack trace: " + docs);
    }

    @Test
    void resumesAfterRestartWithoutDuplicates() throws Exception {
        Path log = kubeletLog("shop-7c9d8f6b5-x2x4q", "shop", "shop", PodFixtures.SHOP_CONTAINER_ID);
        PodFixtures metadata = new PodFixtures(PodFixtures.shopPod());
        try (LogPipeline pipeline = pipeline(metadata, Duration.ZERO)) {
            append(log, "2024-01-02T03:04:05.000000001Z stdout F one", "2024-01-02T03:04:05.000000002Z stdout F two");
            await("two records", () -> documents().size() == 2);
        }
        append(log, "2024-01-02T03:04:05.000000003Z stdout F three");
        try (LogPipeline pipeline = pipeline(metadata, Duration.ZERO)) {
            // One file is read and delivered in order: a line read again would reach the sink before the third.
            await("the third record", () -> documents().size() >= 3);
        }

        List<JsonNode> docs = documents();
        assertEquals(List.of("one", "two", "three"), docs.stream().map(d -> d.path("log").asText()).toList());
        assertEquals(expectedLineIds(log), sentIds.stream().map(RecordId::toString).toList(),
                "each line sent once, under the id its file and offset give it");
        String positions = Files.readString(state.resolve("positions.json"));
        assertTrue(positions.contains(String.valueOf(Files.size(log))), "position at the end of the file: " + positions);
    }

    @Test
    void holdsANewFileUntilItsPodAppearsSoFirstLinesAreEnriched() throws Exception {
        Path log = kubeletLog("shop-7c9d8f6b5-x2x4q", "shop", "shop", PodFixtures.SHOP_CONTAINER_ID);
        PodFixtures metadata = new PodFixtures();
        try (LogPipeline pipeline = pipeline(metadata, Duration.ofSeconds(10))) {
            append(log, "2024-01-02T03:04:05.000000001Z stdout F first line of a fresh pod");
            await("the line read and its file held", () -> registry.get("vedetta.log.files.held").gauge().value() == 1
                    && registry.get("vedetta.log.lines.read").counter().count() == 1);
            assertTrue(documents().isEmpty(), "held while the pod is unknown");
            metadata.add(PodFixtures.shopPod());
            await("the held record", () -> documents().size() == 1);
        }

        JsonNode doc = documents().get(0);
        assertEquals("shop-7c9d8f6b5-x2x4q", doc.path("kubernetes").path("pod_name").asText());
        assertFalse(doc.path("kubernetes").path("labels").isMissingNode(), "enriched with labels: " + doc);
    }

    @Test
    void skipsExcludedPodsContainersAndNamespacesButMovesTheirPositions() throws Exception {
        Path excludedPod = kubeletLog("quiet-1", "shop", "app", "b".repeat(64));
        Path excludedContainer = kubeletLog("chatty-1", "shop", "sidecar", "c".repeat(64));
        Path shipped = kubeletLog("chatty-1", "shop", "app", "d".repeat(64));
        Path excludedNamespace = kubeletLog("noisy-1", "kube-system", "app", "e".repeat(64));
        PodFixtures metadata = new PodFixtures(
                pod("quiet-1", Map.of("vedetta.io/exclude", "true"), "app"),
                pod("chatty-1", Map.of("vedetta.io/exclude-containers", "sidecar, other"), "app", "sidecar"));
        try (LogPipeline pipeline = pipeline(metadata, Duration.ofSeconds(5), Set.of("kube-system"))) {
            for (Path file : List.of(excludedPod, excludedContainer, excludedNamespace, shipped)) {
                append(file, "2024-01-02T03:04:05.000000001Z stdout F from " + file.getParent().getParent().getFileName());
            }
            await("the shipped record", () -> documents().size() == 1);
            await("every position committed", () -> {
                try {
                    String positions = Files.exists(state.resolve("positions.json"))
                            ? Files.readString(state.resolve("positions.json")) : "";
                    return JSON.readTree(positions.isEmpty() ? "{}" : positions).findValues("offset").stream()
                            .filter(o -> o.asLong() > 0).count() == 4;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        assertEquals("from shop_chatty-1_uid", documents().get(0).path("log").asText());
    }

    private static PodInfo pod(String name, Map<String, String> annotations, String... containers) {
        return new PodInfo("shop", name, name + "-uid", "node-a", Map.of("app", name), annotations, "ReplicaSet", name,
                java.util.Arrays.stream(containers)
                        .map(c -> new PodInfo.ContainerInfo(c, "img/" + c, "", "", "", 0)).toList());
    }

    @Test
    void shipsUnenrichedWhenThePodNeverAppears() throws Exception {
        Path log = kubeletLog("ghost-1", "shop", "app", "a".repeat(64));
        try (LogPipeline pipeline = pipeline(new PodFixtures(), Duration.ofMillis(300))) {
            append(log, "2024-01-02T03:04:05.000000001Z stdout F nobody knows me");
            await("the un-enriched record", () -> documents().size() == 1);
        }

        JsonNode doc = documents().get(0);
        assertEquals("nobody knows me", doc.path("log").asText());
        assertEquals("ghost-1", doc.path("kubernetes").path("pod_name").asText(), "named from the file: " + doc);
    }
}
