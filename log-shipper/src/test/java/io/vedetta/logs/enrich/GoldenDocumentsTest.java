package io.vedetta.logs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.parse.FileLogParser;
import io.vedetta.logs.parse.LogParsers;
import io.vedetta.logs.parse.MultilineMode;
import io.vedetta.logs.parse.OversizeAction;
import io.vedetta.logs.parse.ParseConfig;
import io.vedetta.logs.testing.LogFiles;
import io.vedetta.logs.testing.PodFixtures;
import io.vedetta.pods.PodInfo;
import io.vedetta.testing.TestClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Container log files in, the JSON documents the sink will write out, compared with golden files. Each
 * golden line wraps the document with the record's offsets, since they decide ids and saved positions.
 * Run with {@code -Dgolden.update=true} to rewrite the golden files after a deliberate change.
 */
class GoldenDocumentsTest {

    private static final JsonFactory JSON = new JsonFactory();
    private final TestClock clock = new TestClock(Instant.parse("2024-01-02T03:05:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void criFileWithJavaStackTraceBecomesFluentdDocuments() {
        ParseConfig parse = new ParseConfig(ParseConfig.DEFAULT_MAX_LINE_BYTES, OversizeAction.SPLIT,
                Duration.ofSeconds(5), MultilineMode.NONE, "", Duration.ofSeconds(2), 500, true);
        EnrichConfig enrich = new EnrichConfig(FieldStyle.FLUENTD, true, true, true, "_", "json",
                Duration.ofSeconds(5));
        ContainerRef ref = new ContainerRef("shop", "shop-7c9d8f6b5-x2x4q", "shop", PodFixtures.SHOP_CONTAINER_ID);
        assertGolden("cri-java.log", parse, enrich, ref, new PodFixtures(PodFixtures.shopPod()),
                "cri-java.fluentd.ndjson");
    }

    @Test
    void dockerFileWithPythonTracebackBecomesUnenrichedDocumentsWhenPodIsUnknown() {
        ParseConfig parse = new ParseConfig(ParseConfig.DEFAULT_MAX_LINE_BYTES, OversizeAction.SPLIT,
                Duration.ofSeconds(5), MultilineMode.PYTHON, "", Duration.ofSeconds(2), 500, false);
        ContainerRef ref = new ContainerRef("billing", "billing-worker-0", "worker",
                "9a8b7c6d5e4f30211f2e3d4c5b6a79881726354453627180918273645546372a");
        assertGolden("docker-python.log", parse, EnrichConfig.defaults(), ref, new PodFixtures(),
                "docker-python.unenriched.ndjson");
    }

    @Test
    void criFileWithGoPanicBecomesEcsDocuments() {
        ParseConfig parse = new ParseConfig(ParseConfig.DEFAULT_MAX_LINE_BYTES, OversizeAction.SPLIT,
                Duration.ofSeconds(5), MultilineMode.NONE, "", Duration.ofSeconds(2), 500, false);
        EnrichConfig enrich = new EnrichConfig(FieldStyle.ECS, true, false, true, "_", "json", Duration.ofSeconds(5));
        ContainerRef ref = new ContainerRef("shop", "checkout-5b6c7d8e9f-abcde", "checkout",
                PodFixtures.CHECKOUT_CONTAINER_ID, "/var/log/containers/checkout-5b6c7d8e9f-abcde_shop_checkout-"
                        + PodFixtures.CHECKOUT_CONTAINER_ID + ".log");
        PodFixtures pods = new PodFixtures(PodFixtures.shopPod(), PodFixtures.checkoutPod());
        assertGolden("cri-go.log", parse, enrich, ref, pods, "cri-go.ecs.ndjson");
    }

    @Test
    void criLineLongerThanTheLimitIsSplitIntoPiecesThatKeepTheirOffsets() {
        ParseConfig parse = new ParseConfig(1024, OversizeAction.SPLIT,
                Duration.ofSeconds(5), MultilineMode.NONE, "", Duration.ofSeconds(2), 500, false);
        ContainerRef ref = new ContainerRef("shop", "shop-7c9d8f6b5-x2x4q", "shop", PodFixtures.SHOP_CONTAINER_ID);
        assertGolden("cri-oversize.log", parse, EnrichConfig.defaults(), ref, new PodFixtures(PodFixtures.shopPod()),
                "cri-oversize.split.ndjson");
    }

    /** The multiline mode comes from the pod's annotation when it has one, as the pipeline will do it. */
    private void assertGolden(String input, ParseConfig parseConfig, EnrichConfig enrichConfig, ContainerRef ref,
            PodFixtures pods, String golden) {
        FileEnricher enricher = new Enricher(enrichConfig, pods, registry, clock).forFile(ref);
        LogParsers parsers = new LogParsers(parseConfig, registry, clock);
        MultilineMode mode = parsers.modeFor(input,
                enricher.pod().map(PodInfo::annotations).orElse(Map.of()));
        List<String> actual = new ArrayList<>();
        List<Long> commits = new ArrayList<>();
        FileLogParser parser = parsers.forMode(input, mode, event -> {
            commits.add(event.commitOffset());
            actual.add(line(enricher.enrich(event)));
        });
        byte[] file = LogFiles.resource(input);
        LogFiles.feed(file, parser);
        parser.flushAll();

        assertEquals(commits.stream().sorted().toList(), commits, "commit offsets never go back");
        assertEquals(file.length, commits.get(commits.size() - 1), "once all is flushed the whole file is committed");

        Path goldenFile = Path.of("src/test/resources/logs", golden);
        if (Boolean.getBoolean("golden.update")) {
            write(goldenFile, String.join("\n", actual) + "\n");
        }
        List<String> expected = List.of(new String(LogFiles.resource(golden), StandardCharsets.UTF_8).split("\n"));
        assertEquals(String.join("\n", expected), String.join("\n", actual), "documents of " + input);
    }

    private static String line(LogDocument doc) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("start", doc.event().startOffset());
            g.writeNumberField("end", doc.event().endOffset());
            g.writeNumberField("commit", doc.event().commitOffset());
            g.writeFieldName("document");
            doc.writeTo(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
