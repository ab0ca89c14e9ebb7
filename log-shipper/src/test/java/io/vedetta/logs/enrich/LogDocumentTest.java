package io.vedetta.logs.enrich;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.parse.JsonFields;
import io.vedetta.logs.parse.LogEvent;
import io.vedetta.logs.parse.LogFlag;
import io.vedetta.logs.parse.LogFormat;
import io.vedetta.logs.parse.LogStream;
import io.vedetta.logs.parse.Utf8Text;
import io.vedetta.logs.testing.PodFixtures;
import io.vedetta.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A document written as bytes without a generator ({@code writeUtf8}) against the same written by Jackson. */
class LogDocumentTest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ContainerRef SHOP = new ContainerRef("shop", "shop-7c9d8f6b5-x2x4q", "shop",
            PodFixtures.SHOP_CONTAINER_ID);
    private static final String ALPHABET = "ab {}\":,\\/\n\t\u0001\u007f\u00e9\u2603";

    private final TestClock clock = new TestClock(Instant.parse("2024-01-02T03:05:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static byte[] generated(LogDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            doc.writeTo(g);
        }
        return out.toByteArray();
    }

    private static LogEvent event(Random random) {
        StringBuilder message = new StringBuilder();
        for (int n = random.nextInt(120); n > 0; n--) {
            message.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        long nanos = 1_704_164_645_123_456_789L + random.nextInt(1_000_000_000);
        JsonFields json = random.nextBoolean() ? null
                : new JsonFields("{\"level\":\"info\",\"n\":[1,2.5,null]}".getBytes(StandardCharsets.UTF_8));
        Set<LogFlag> flags = EnumSet.noneOf(LogFlag.class);
        for (LogFlag flag : LogFlag.values()) {
            if (random.nextInt(4) == 0) {
                flags.add(flag);
            }
        }
        LogStream stream = LogStream.values()[random.nextInt(LogStream.values().length)];
        return new LogEvent(nanos, stream, LogFormat.CRI, Utf8Text.of(message.toString()), json, 0, 10, 10, 1, flags);
    }

    @Test
    void documentsWrittenAsBytesAreWhatTheGeneratorWrites() throws IOException {
        Random random = new Random(11);
        List<FileEnricher> files = List.of(
                enricher(FieldStyle.FLUENTD, "json", new PodFixtures(PodFixtures.shopPod())),
                enricher(FieldStyle.ECS, "fields", new PodFixtures(PodFixtures.shopPod())),
                enricher(FieldStyle.FLUENTD, "json", new PodFixtures()),
                enricher(FieldStyle.ECS, "j\u00e9son", new PodFixtures()));
        for (int i = 0; i < 5_000; i++) {
            LogDocument doc = files.get(i % files.size()).enrich(event(random));
            JsonBytes out = new JsonBytes(16);
            out.write('x');

            assertTrue(doc.writeUtf8(out));
            byte[] written = Arrays.copyOfRange(out.array(), 1, out.size());
            assertArrayEquals(generated(doc), written, new String(written, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aMessageWithASurrogatePairIsLeftToTheGeneratorWithNothingWritten() {
        LogDocument doc = enricher(FieldStyle.FLUENTD, "json", new PodFixtures()).enrich(new LogEvent(
                1_704_164_645_123_456_789L, LogStream.STDOUT, LogFormat.CRI,
                Utf8Text.of("smile \ud83d\ude00"), null, 0, 10, 10, 1, Set.of()));
        JsonBytes out = new JsonBytes(16);
        out.write('x');

        assertFalse(doc.writeUtf8(out));
        assertEquals("x", out.toString(StandardCharsets.UTF_8));
    }

    private FileEnricher enricher(FieldStyle style, String jsonField, PodFixtures pods) {
        EnrichConfig config = new EnrichConfig(style, true, true, true, "_", jsonField, Duration.ofSeconds(5));
        return new Enricher(config, pods, registry, clock).forFile(SHOP);
    }
}
