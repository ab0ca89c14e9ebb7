package io.vedetta.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void parsesEveryPrecisionAndOffsetThatRuntimesWrite() {
        for (String text : new String[] {"2024-01-02T03:04:05Z", "2024-01-02T03:04:05.1Z",
                "2024-01-02T03:04:05.123456789Z", "2024-02-29T23:59:59.999999999-07:00",
                "2024-01-02T03:04:05.669794202+05:30", "1969-12-31T23:59:59.5Z", "2024-01-02t03:04:05z"}) {
            assertEquals(nanos(OffsetDateTime.parse(text.toUpperCase()).toInstant()), Timestamps.parseEpochNanos(text),
                    text);
        }
    }

    @Test
    void rejectsWhatIsNotRfc3339() {
        for (String text : new String[] {"", "2024-01-02", "2024-01-02T03:04:05", "2024-13-02T03:04:05Z",
                "2023-02-29T03:04:05Z", "2024-01-02T24:00:00Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05+0100",
                "2024-01-02T03:04:05Zjunk", "abcd-01-02T03:04:05Z", "2024-01-02T03:04:05.1234567891Zx"}) {
            assertEquals(Timestamps.INVALID, Timestamps.parseEpochNanos(text), text);
        }
    }

    @Test
    void formatsUtcWithNineDigitsLikeInstantDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L),
                    random.nextInt(1_000_000_000));
            String formatted = Timestamps.formatUtc(nanos(instant));
            assertEquals(instant, Instant.parse(formatted), formatted);
            assertEquals(30, formatted.length(), formatted);
            assertEquals(nanos(instant), Timestamps.parseEpochNanos(formatted));
        }
    }

    @Test
    void writesTheUtcFormAsBytesAtAnyPlace() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] out = new byte[40];
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextLong(0, 4_000_000_000L * 1_000_000_000L);
            int at = random.nextInt(10);
            Timestamps.putUtc(nanos, out, at);
            assertEquals(Timestamps.formatUtc(nanos), new String(out, at, Timestamps.UTC_LENGTH, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aFileParserReadsEveryTimeAsTheStatelessParseDoes() {
        SplittableRandom random = new SplittableRandom(5);
        Timestamps.Parser parser = new Timestamps.Parser();
        long nanos = 1_704_164_645_000_000_000L;
        for (int i = 0; i < 20_000; i++) {
            // Mostly the same second as the line before, sometimes the next, now and then another form or garbage.
            nanos += random.nextInt(10) == 0 ? 1_000_000_000L : random.nextInt(1_000_000);
            String text = switch (random.nextInt(8)) {
                case 0 -> Timestamps.formatUtc(nanos).replace("Z", "+02:00");
                case 1 -> Timestamps.formatUtc(nanos).substring(0, 22) + "Z";
                case 2 -> Timestamps.formatUtc(nanos).replace(":", "x");
                case 3 -> Timestamps.formatUtc(nanos).replace("T", "T25");
                default -> Timestamps.formatUtc(nanos);
            };
            byte[] bytes = ("  " + text).getBytes(StandardCharsets.US_ASCII);
            assertEquals(Timestamps.parseEpochNanos(text), parser.parse(bytes, 2, bytes.length - 2), text);
        }
    }

    @Test
    void aUtcWriterWritesWhatFormatUtcMakes() {
        SplittableRandom random = new SplittableRandom(13);
        Timestamps.UtcWriter writer = new Timestamps.UtcWriter();
        byte[] out = new byte[Timestamps.UTC_LENGTH];
        long nanos = -2_000_000_000L * 1_000_000_000L;
        for (int i = 0; i < 20_000; i++) {
            nanos += random.nextInt(4) == 0 ? random.nextLong(100_000_000_000_000L) : random.nextInt(1_000_000);
            writer.write(nanos, out, 0);
            assertEquals(Timestamps.formatUtc(nanos), new String(out, StandardCharsets.US_ASCII));
        }
    }
}
