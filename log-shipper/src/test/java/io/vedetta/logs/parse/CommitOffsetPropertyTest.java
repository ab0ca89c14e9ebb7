package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.logs.testing.LogFiles;
import io.vedetta.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random files of interleaved stdout/stderr lines, partial lines, stack traces, oversize lines and garbage,
 * with timeouts firing at random: every line comes out exactly once, and a record's commit offset never passes
 * a line that has not come out in it or before it (what at-least-once delivery after a crash depends on).
 */
class CommitOffsetPropertyTest {

    private static final Pattern TOKEN = Pattern.compile("#(\\d+)#");

    @Test
    void everyLineComesOutOnceAndNoCommitPassesALineNotYetOut() {
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 300; run++) {
            for (MultilineMode mode : new MultilineMode[] {MultilineMode.NONE, MultilineMode.JAVA}) {
                check(random, mode);
            }
        }
    }

    private static void check(SplittableRandom random, MultilineMode mode) {
        TestClock clock = new TestClock(Instant.parse("2024-01-02T03:05:00Z"));
        ParseConfig config = new ParseConfig(1024, OversizeAction.SPLIT, Duration.ofSeconds(5), mode, "",
                Duration.ofSeconds(2), 4, false);
        List<LogEvent> events = new ArrayList<>();
        FileLogParser parser = new LogParsers(config, new SimpleMeterRegistry(), clock).forMode("p", mode, events::add);
        int lines = random.nextInt(1, 40);
        long[] starts = new long[lines];
        long offset = 0;
        for (int k = 0; k < lines; k++) {
            byte[] line = randomLine(random, k).getBytes(StandardCharsets.UTF_8);
            starts[k] = offset;
            offset += line.length + 1;
            LogFiles.line(parser, line, offset);
            if (random.nextInt(4) == 0) {
                clock.advance(Duration.ofMillis(random.nextInt(6000)));
                parser.flushExpired();
            }
        }
        parser.flushAll();

        Set<Integer> out = new HashSet<>();
        long previousCommit = 0;
        for (LogEvent event : events) {
            Matcher m = TOKEN.matcher(event.message());
            while (m.find()) {
                assertTrue(out.add(Integer.parseInt(m.group(1))), "line " + m.group(1) + " came out twice");
            }
            for (int k = 0; k < lines; k++) {
                if (starts[k] < event.commitOffset()) {
                    assertTrue(out.contains(k), "commit " + event.commitOffset() + " passes line " + k
                            + " that is not out yet, in " + events);
                }
            }
            assertTrue(event.commitOffset() >= previousCommit, "commit offsets go back in " + events);
            previousCommit = event.commitOffset();
        }
        assertEquals(lines, out.size(), "every line comes out");
        assertEquals(offset, previousCommit, "the whole file is committed in the end");
    }

    private static String randomLine(SplittableRandom random, int k) {
        String token = "#" + k + "#";
        String stream = random.nextBoolean() ? "stdout" : "stderr";
        return switch (random.nextInt(8)) {
            case 0 -> "2024-01-02T03:04:05Z " + stream + " P part " + token + " ";
            case 1 -> "2024-01-02T03:04:05Z " + stream + " F \tat com.example.A.b(A.java:1) " + token;
            case 2 -> "2024-01-02T03:04:05Z " + stream + " F java.lang.IllegalStateException: " + token;
            case 3 -> "garbage " + token;
            case 4 -> "2024-01-02T03:04:05Z " + stream + " P " + "x".repeat(random.nextInt(300, 700)) + token;
            case 5 -> "2024-01-02T03:04:05Z " + stream + (random.nextBoolean() ? " P " : " F ") + token
                    + "y".repeat(random.nextInt(1000, 3000));
            default -> "2024-01-02T03:04:05Z " + stream + " F message " + token;
        };
    }
}
