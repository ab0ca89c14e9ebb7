package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.bytes.Timestamps;
import io.vedetta.logs.testing.LogFiles;
import io.vedetta.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileLogParserTest {

    private final TestClock clock = new TestClock(Instant.parse("2024-01-02T03:05:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<LogEvent> events = new ArrayList<>();

    private FileLogParser parser(ParseConfig config, MultilineMode mode) {
        return new LogParsers(config, registry, clock).forMode("test.log", mode, events::add);
    }

    private FileLogParser parser() {
        return parser(ParseConfig.defaults(), MultilineMode.NONE);
    }

    private static ParseConfig config(int maxLineBytes, OversizeAction oversize, boolean parseJson) {
        return new ParseConfig(maxLineBytes, oversize, Duration.ofSeconds(5), MultilineMode.NONE, "",
                Duration.ofSeconds(2), 500, parseJson);
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void mergesCriPartialLinesIntoOneRecord() {
        FileLogParser parser = parser();
        String file = """
                2024-01-02T03:04:05.000000001Z stdout P one,\s
                2024-01-02T03:04:05.000000002Z stdout P two,\s
                2024-01-02T03:04:05.000000003Z stdout F three
                """;
        LogFiles.feed(file, parser);

        assertEquals(1, events.size());
        LogEvent event = events.get(0);
        assertEquals("one, two, three", event.message());
        assertEquals("2024-01-02T03:04:05.000000001Z", Timestamps.formatUtc(event.epochNanos()), "the first line's time");
        assertEquals(0, event.startOffset());
        assertEquals(file.length(), event.endOffset(), "ends after the F line");
        assertEquals(3, event.lineCount());
        assertEquals(Set.of(), event.flags());
    }

    @Test
    void mergesDockerLinesWithoutTrailingNewline() {
        FileLogParser parser = parser();
        LogFiles.feed("""
                {"log":"cut by docker ","stream":"stdout","time":"2024-01-02T03:04:05.1Z"}
                {"log":"at 16 KiB\\n","stream":"stdout","time":"2024-01-02T03:04:05.2Z"}
                """, parser);

        assertEquals(1, events.size());
        assertEquals("cut by docker at 16 KiB", events.get(0).message());
        assertEquals(LogFormat.DOCKER, events.get(0).format());
        assertEquals(Optional.of(LogFormat.DOCKER), parser.format());
    }

    @Test
    void keepsStdoutAndStderrSeparateWhenMerging() {
        FileLogParser parser = parser();
        LogFiles.feed("""
                2024-01-02T03:04:05Z stdout P out-1\s
                2024-01-02T03:04:05Z stderr P err-1\s
                2024-01-02T03:04:05Z stdout F out-2
                2024-01-02T03:04:05Z stderr F err-2
                """, parser);

        assertEquals(List.of("out-1 out-2", "err-1 err-2"), events.stream().map(LogEvent::message).toList());
        assertEquals(List.of(LogStream.STDOUT, LogStream.STDERR), events.stream().map(LogEvent::stream).toList());
    }

    @Test
    void flushesIncompletePartialAfterTimeout() {
        FileLogParser parser = parser();
        LogFiles.feed("2024-01-02T03:04:05Z stdout P progress 10%\n", parser);
        assertEquals(Optional.of(clock.instant().plusSeconds(5)), parser.nextDeadline());

        clock.advance(Duration.ofMillis(4999));
        parser.flushExpired();
        assertTrue(events.isEmpty(), "not yet old enough");

        clock.advance(Duration.ofMillis(1));
        parser.flushExpired();
        assertEquals(1, events.size());
        assertEquals("progress 10%", events.get(0).message());
        assertTrue(events.get(0).has(LogFlag.PARTIAL_INCOMPLETE));
        assertEquals(1, count("vedetta.log.partial.flushes", "reason", "timeout"));
        assertEquals(Optional.empty(), parser.nextDeadline());
    }

    @Test
    void flushesPartialMergeBeforeItExceedsTheLimit() {
        FileLogParser parser = parser(config(1024, OversizeAction.SPLIT, false), MultilineMode.NONE);
        String part = "x".repeat(600);
        LogFiles.feed("2024-01-02T03:04:05Z stdout P " + part + "\n"
                + "2024-01-02T03:04:05Z stdout P " + part + "\n"
                + "2024-01-02T03:04:05Z stdout F end\n", parser);

        assertEquals(List.of(part, part + "end"), events.stream().map(LogEvent::message).toList());
        assertTrue(events.get(0).has(LogFlag.MERGE_LIMIT));
        assertEquals(1, count("vedetta.log.partial.flushes", "reason", "size"));
    }

    @Test
    void keepsNanosecondsInTimestamp() {
        FileLogParser parser = parser();
        LogFiles.feed("""
                2024-01-02T03:04:05.123456789Z stdout F utc
                2024-01-02T05:04:05.000000001+02:00 stdout F offset
                {"log":"docker\\n","stream":"stderr","time":"2024-01-02T03:04:05.987654321Z"}
                """, parser);

        assertEquals(Instant.parse("2024-01-02T03:04:05.123456789Z").getEpochSecond() * 1_000_000_000L + 123_456_789,
                events.get(0).epochNanos());
        assertEquals("2024-01-02T03:04:05.000000001Z", Timestamps.formatUtc(events.get(1).epochNanos()));
        assertEquals(LogFormat.UNPARSED, events.get(2).format(), "a docker line in a CRI file is not docker");
    }

    @Test
    void splitsLineLongerThanTheLimitOnCharacterBoundaries() {
        FileLogParser parser = parser();
        // 3 MiB and a bit of 3-byte characters: no piece may end in the middle of one.
        String message = "€".repeat(1024 * 1024 + 5);
        byte[] line = ("2024-01-02T03:04:05Z stdout F " + message).getBytes(StandardCharsets.UTF_8);
        LogFiles.line(parser, line, 1000 + line.length + 1);

        assertEquals(4, events.size());
        StringBuilder joined = new StringBuilder();
        for (LogEvent event : events) {
            int bytes = event.message().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= ParseConfig.DEFAULT_MAX_LINE_BYTES, "piece of " + bytes + " bytes");
            assertFalse(event.message().contains("\uFFFD"));
            assertTrue(event.has(LogFlag.SPLIT));
            joined.append(event.message());
        }
        assertEquals(message, joined.toString(), "nothing lost");
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L), events.stream().map(LogEvent::startOffset).toList(),
                "distinct ids");
        long lineEnd = 1000 + line.length + 1;
        assertEquals(List.of(1000L, 1000L, 1000L, lineEnd), events.stream().map(LogEvent::commitOffset).toList(),
                "the position passes the line only with its last piece");
        assertEquals(1, count("vedetta.log.lines.split"));
    }

    @Test
    void truncatesLongLineWhenConfigured() {
        FileLogParser parser = parser(config(1024, OversizeAction.TRUNCATE, false), MultilineMode.NONE);
        LogFiles.feed("2024-01-02T03:04:05Z stderr F " + "y".repeat(5000) + "\n", parser);

        assertEquals(1, events.size());
        assertEquals("y".repeat(1024), events.get(0).message());
        assertTrue(events.get(0).has(LogFlag.TRUNCATED));
        assertEquals(1, count("vedetta.log.lines.truncated"));
    }

    @Test
    void replacesInvalidUtf8AndCountsIt() {
        FileLogParser parser = parser();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("2024-01-02T03:04:05Z stdout F bad \u00e9".getBytes(StandardCharsets.UTF_8));
        file.writeBytes(new byte[] {(byte) 0xC3, ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
        LogFiles.feed(file.toByteArray(), parser);

        String message = events.get(0).message();
        assertTrue(message.startsWith("bad \u00e9\uFFFD \uFFFD"), "a cut sequence and a surrogate are replaced");
        assertTrue(message.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        assertTrue(events.get(0).has(LogFlag.INVALID_UTF8));
        assertEquals(1, count("vedetta.log.invalid.utf8"));
    }

    @Test
    void shipsGarbageLineUnparsedAndCarriesOn() {
        FileLogParser parser = parser();
        LogFiles.feed(new byte[] {0, 1, 2, (byte) 0xFF, '\n'}, parser);
        LogFiles.feed("2024-01-02T03:04:05Z stdout F fine\n", parser);
        LogFiles.feed("2024-01-02T03:04:05Z stdout X not a tag\n", parser);
        LogFiles.feed("2024-01-02T03:04:05Z stdout F still fine\n", parser);

        assertEquals(List.of("\u0000\u0001\u0002\uFFFD", "fine", "2024-01-02T03:04:05Z stdout X not a tag",
                "still fine"), events.stream().map(LogEvent::message).toList());
        LogEvent garbage = events.get(0);
        assertTrue(garbage.has(LogFlag.UNPARSED));
        assertEquals(LogStream.UNKNOWN, garbage.stream());
        assertEquals("2024-01-02T03:05:00.000000000Z", Timestamps.formatUtc(garbage.epochNanos()), "read time");
        assertEquals(1, count("vedetta.log.parse.errors", "reason", "unrecognized"));
        assertEquals(1, count("vedetta.log.parse.errors", "reason", "malformed_cri"));
        assertEquals(2, count("vedetta.log.lines", "format", "unparsed"));
        assertEquals(2, count("vedetta.log.lines", "format", "cri"));
    }

    @Test
    void keepsToTheFormatDecidedByTheFirstParseableLine() {
        FileLogParser parser = parser();
        LogFiles.feed("""
                {"log":"docker\\n","stream":"stdout","time":"2024-01-02T03:04:05Z"}
                2024-01-02T03:04:05Z stdout F cri line in a docker file
                """, parser);

        assertEquals(LogFormat.DOCKER, events.get(0).format());
        assertEquals(LogFormat.UNPARSED, events.get(1).format());
        assertEquals(1, count("vedetta.log.parse.errors", "reason", "malformed_docker"));
    }

    @Test
    void commitOffsetNeverPassesALineStillHeld() {
        FileLogParser parser = parser();
        String first = "2024-01-02T03:04:05Z stdout P held\n";
        LogFiles.feed(first + "2024-01-02T03:04:05Z stderr F out now\n", parser);

        assertEquals(1, events.size());
        LogEvent stderr = events.get(0);
        assertEquals(first.length() + 38, stderr.endOffset());
        assertEquals(0, stderr.commitOffset(), "the stdout partial at 0 is not delivered yet");

        parser.flushAll();
        assertEquals(stderr.endOffset(), events.get(1).commitOffset());
        assertEquals(1, count("vedetta.log.partial.flushes", "reason", "end"));
    }

    @Test
    void parsesJsonMessageIntoFieldsKeepingTheMessage() {
        FileLogParser parser = parser(config(ParseConfig.DEFAULT_MAX_LINE_BYTES, OversizeAction.SPLIT, true),
                MultilineMode.NONE);
        LogFiles.feed("""
                2024-01-02T03:04:05Z stdout F {"level":"info","n":1}
                2024-01-02T03:04:05Z stdout F {"level":
                2024-01-02T03:04:05Z stdout F [1,2]
                """, parser);

        assertEquals("{\"level\":\"info\",\"n\":1}", events.get(0).message());
        assertEquals("{\"level\":\"info\",\"n\":1}", events.get(0).json().toString());
        assertNull(events.get(1).json());
        assertNull(events.get(2).json(), "only objects become fields");
        assertEquals(1, count("vedetta.log.parse.errors", "reason", "message_json"));
    }
}
