package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.testing.LogFiles;
import io.vedetta.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultilineJoiningTest {

    private final TestClock clock = new TestClock(Instant.parse("2024-01-02T03:05:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<LogEvent> events = new ArrayList<>();

    private FileLogParser parser(MultilineMode mode, String startPattern, int maxLines) {
        ParseConfig config = new ParseConfig(ParseConfig.DEFAULT_MAX_LINE_BYTES, OversizeAction.SPLIT,
                Duration.ofSeconds(5), mode, startPattern, Duration.ofSeconds(2), maxLines, false);
        return new LogParsers(config, registry, clock).forMode("test.log", mode, events::add);
    }

    /** Writes each text line as a CRI stderr line, feeds them, and flushes the end of the file. */
    private List<String> join(FileLogParser parser, String... lines) {
        StringBuilder file = new StringBuilder();
        for (String line : lines) {
            file.append("2024-01-02T03:04:05.5Z stderr F ").append(line).append('\n');
        }
        LogFiles.feed(file.toString(), parser);
        parser.flushAll();
        return events.stream().map(LogEvent::message).toList();
    }

    @Test
    void joinsJavaStackTraceWithItsCauses() {
        List<String> records = join(parser(MultilineMode.JAVA, "", 500),
                "12:00:01 ERROR request failed",
                "com.example.OrderException: order 42",
                "\tat com.example.Orders.place(Orders.java:10)",
                "Caused by: java.sql.SQLException: timeout",
                "\tat org.postgresql.Driver.connect(Driver.java:1)",
                "\t... 3 more",
                "\tSuppressed: java.io.IOException: close failed",
                "12:00:02 INFO next request");

        assertEquals(2, records.size());
        assertTrue(records.get(0).startsWith("12:00:01 ERROR request failed\ncom.example.OrderException"));
        assertTrue(records.get(0).endsWith("\tSuppressed: java.io.IOException: close failed"));
        assertEquals("12:00:02 INFO next request", records.get(1));
    }

    @Test
    void joinsPythonTracebackButNotTheLineAfterIt() {
        List<String> records = join(parser(MultilineMode.PYTHON, "", 500),
                "Traceback (most recent call last):",
                "  File \"app.py\", line 1, in <module>",
                "    main()",
                "KeyError: 'id'",
                "INFO:root:next");

        assertEquals(List.of("Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\n"
                + "    main()\nKeyError: 'id'", "INFO:root:next"), records);
    }

    @Test
    void joinsGoPanicWithItsGoroutineDump() {
        List<String> records = join(parser(MultilineMode.GO, "", 500),
                "starting",
                "panic: assignment to entry in nil map",
                "",
                "goroutine 7 [running]:",
                "main.(*Cache).Put(0xc000010000, {0x4b1e2a, 0x3})",
                "\t/src/cache.go:21 +0x45",
                "created by main.main in goroutine 1",
                "\t/src/main.go:9 +0x8c",
                "restarting");

        assertEquals(3, records.size());
        assertTrue(records.get(1).startsWith("panic: assignment to entry in nil map\n\ngoroutine 7 [running]:\n"));
        assertTrue(records.get(1).endsWith("\t/src/main.go:9 +0x8c"));
        assertEquals("restarting", records.get(2));
    }

    @Test
    void joinsByConfiguredStartPattern() {
        List<String> records = join(parser(MultilineMode.REGEX, "^\\[\\d{4}-", 500),
                "[2024-01-02 03:04:05] first",
                "  detail a",
                "detail b",
                "[2024-01-02 03:04:06] second");

        assertEquals(List.of("[2024-01-02 03:04:05] first\n  detail a\ndetail b", "[2024-01-02 03:04:06] second"),
                records);
    }

    @Test
    void keepsStdoutAndStderrSeparateWhenJoining() {
        FileLogParser parser = parser(MultilineMode.JAVA, "", 500);
        LogFiles.feed("""
                2024-01-02T03:04:05Z stderr F java.lang.RuntimeException: boom
                2024-01-02T03:04:05Z stdout F GET /health 200
                2024-01-02T03:04:05Z stderr F \tat Main.main(Main.java:3)
                """, parser);
        parser.flushAll();

        assertEquals(List.of("GET /health 200", "java.lang.RuntimeException: boom\n\tat Main.main(Main.java:3)"),
                events.stream().map(LogEvent::message).toList());
    }

    @Test
    void flushesMultilineRecordAfterTimeout() {
        FileLogParser parser = parser(MultilineMode.JAVA, "", 500);
        LogFiles.feed("2024-01-02T03:04:05Z stderr F last words\n", parser);
        assertTrue(events.isEmpty(), "a following stack frame could still come");

        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.of(clock.instant()), parser.nextDeadline());
        parser.flushExpired();

        assertEquals(List.of("last words"), events.stream().map(LogEvent::message).toList());
        assertEquals(1, registry.get("vedetta.log.multiline.flushes").tag("reason", "timeout").counter().count());
    }

    @Test
    void stopsJoiningAtMaxLines() {
        List<String> records = join(parser(MultilineMode.JAVA, "", 3),
                "java.lang.StackOverflowError", "\tat A.a(A.java:1)", "\tat A.a(A.java:1)", "\tat A.a(A.java:1)");

        assertEquals(List.of("java.lang.StackOverflowError\n\tat A.a(A.java:1)\n\tat A.a(A.java:1)",
                "\tat A.a(A.java:1)"), records);
        assertTrue(events.get(0).has(LogFlag.MERGE_LIMIT));
        assertEquals(1, registry.get("vedetta.log.multiline.flushes").tag("reason", "lines").counter().count());
    }

    @Test
    void takesModeFromPodAnnotationAndCountsAnInvalidOne() {
        LogParsers parsers = new LogParsers(ParseConfig.defaults(), registry, clock);

        assertEquals(MultilineMode.PYTHON, parsers.modeFor("f", Map.of(MultilineMode.ANNOTATION, "Python")));
        assertEquals(MultilineMode.NONE, parsers.modeFor("f", Map.of()));
        assertEquals(MultilineMode.NONE, parsers.modeFor("f", Map.of(MultilineMode.ANNOTATION, "cobol")));
        assertEquals(MultilineMode.NONE, parsers.modeFor("f", Map.of(MultilineMode.ANNOTATION, "regex")),
                "no start pattern configured");
        assertEquals(2, registry.get("vedetta.log.parse.errors").tag("reason", "multiline_annotation").counter()
                .count());
    }
}
