package io.vedetta.agent.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GzipEncoderTest {

    private static byte[] gzip(byte[] body, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipEncoder gzip = new GzipEncoder(out)) {
            for (int i = 0; i < body.length; i += piece) {
                if (piece == 1) {
                    gzip.write(body[i]);
                } else {
                    gzip.write(body, i, Math.min(piece, body.length - i));
                }
            }
        }
        return out.toByteArray();
    }

    private static void assertBothReadersGetBack(byte[] body, byte[] gzipped, String what) throws Exception {
        assertArrayEquals(body, Gunzip.byJdk(gzipped), what + " by the JDK's GZIPInputStream");
        assertArrayEquals(body, Gunzip.byGzipBinary(gzipped), what + " by gzip -dc");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bodiesOfEveryShapeReadBackByTheJdkAndByGzip() throws Exception {
        Random random = new Random(11);
        byte[] noise = new byte[300_000];
        random.nextBytes(noise);
        byte[] oneByteRepeated = new byte[1 << 20];
        Arrays.fill(oneByteRepeated, (byte) 'x');
        byte[] longerThanTheWindow = new byte[100_000];
        for (int i = 0; i < longerThanTheWindow.length; i++) {
            longerThanTheWindow[i] = (byte) ('a' + random.nextInt(26));
        }
        byte[] repeatedBeyondTheWindow = concat(longerThanTheWindow, longerThanTheWindow, longerThanTheWindow);
        byte[] shortRepeats = ascii("abcabcabcabd".repeat(20_000));
        List<byte[]> bodies = List.of(new byte[0], ascii("a"), ascii("abc"), ascii("abcd"), noise, oneByteRepeated,
                repeatedBeyondTheWindow, shortRepeats, concat(noise, shortRepeats, noise, oneByteRepeated));
        for (byte[] body : bodies) {
            for (int piece : new int[] {1, 7, 4096, 1 << 16, 1 << 20}) {
                if (piece == 1 && body.length > 400_000) {
                    continue;
                }
                assertBothReadersGetBack(body, gzip(body, piece), body.length + " bytes in pieces of " + piece);
            }
        }
    }

    @Test
    void theGzipMembersHeaderAndTrailerCarryTheCrcAndLength() throws IOException {
        byte[] body = ascii("container_cpu_usage_seconds_total{pod=\"a\"} 1\n".repeat(5000));
        byte[] gzipped = gzip(body, 1 << 16);
        CRC32 crc = new CRC32();
        crc.update(body);

        assertEquals(0x1f, gzipped[0] & 0xFF);
        assertEquals(0x8b, gzipped[1] & 0xFF);
        assertEquals(8, gzipped[2], "deflate");
        assertEquals(crc.getValue(), littleEndian(gzipped, gzipped.length - 8));
        assertEquals(body.length, littleEndian(gzipped, gzipped.length - 4));
    }

    @Test
    void anAbandonedStreamStaysCutShortForBothReaders() throws Exception {
        Random random = new Random(1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append("node_cpu_seconds_total{cpu=\"").append(i % 64).append("\",mode=\"idle\"} ")
                    .append(random.nextDouble()).append('\n');
        }
        byte[] body = ascii(text.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GzipEncoder gzip = new GzipEncoder(out);
        gzip.write(body);
        gzip.abandon();
        gzip.close();
        byte[] cut = out.toByteArray();

        assertTrue(cut.length > 1 << 16, "what was compressed before the failure was sent: " + cut.length);
        assertThrows(EOFException.class, () -> Gunzip.byJdk(cut));
        IOException refused = assertThrows(IOException.class, () -> Gunzip.byGzipBinary(cut));
        assertTrue(refused.getMessage().contains("unexpected end of file"), refused.getMessage());
    }

    /**
     * Consecutive scrapes of the same label sets, as a node's series come and go: reordered, some added and some
     * removed between bodies, label values with escapes, label sets longer than a match (258) and than the window.
     */
    @Test
    void randomizedScrapesOfTheSameLabelSetsReadBack() throws Exception {
        Random random = new Random(5);
        List<String> labelSets = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            labelSets.add(labelSet(random, i % 150 == 0 ? 40_000 : i % 10 == 0 ? 1_000 : 120));
        }
        List<String> current = new ArrayList<>(labelSets.subList(0, 400));
        for (int scrape = 0; scrape < 6; scrape++) {
            StringBuilder body = new StringBuilder();
            for (String family : List.of("container_cpu_usage_seconds_total", "container_memory_working_set_bytes")) {
                body.append("# HELP ").append(family).append(" From cAdvisor.\n# TYPE ").append(family)
                        .append(" counter\n");
                for (String labels : current) {
                    body.append(family).append(labels).append(' ').append(random.nextDouble() * 1e6).append('\n');
                }
            }
            byte[] bytes = ascii(body.toString());
            assertBothReadersGetBack(bytes, gzip(bytes, 1 << 16), "scrape " + scrape);

            Collections.shuffle(current, random);
            current.subList(0, 40).clear();
            for (int k = 0; k < 40; k++) {
                current.add(random.nextInt(current.size()), labelSets.get(random.nextInt(labelSets.size())));
            }
        }
    }

    @Test
    void staysWithinAFewPercentOfZlibsFastestLevelOnRepetitiveText() throws IOException {
        Random random = new Random(9);
        StringBuilder body = new StringBuilder();
        List<String> labelSets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            labelSets.add(labelSet(random, 200));
        }
        for (int family = 0; family < 20; family++) {
            for (String labels : labelSets) {
                body.append("family_").append(family).append(labels).append(' ').append(random.nextInt(100_000))
                        .append('\n');
            }
        }
        byte[] bytes = ascii(body.toString());
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zlib) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(bytes);
        }

        int ours = gzip(bytes, 1 << 16).length;

        assertTrue(ours < 1.3 * zlib.size(), ours + " bytes against zlib's " + zlib.size());
    }

    /** {@code {name="value",...}} of about {@code length} bytes, with quotes, backslashes and newlines escaped. */
    private static String labelSet(Random random, int length) {
        StringBuilder s = new StringBuilder("{");
        int label = 0;
        while (s.length() < length) {
            if (label > 0) {
                s.append(',');
            }
            s.append("label_").append(label++).append("=\"");
            int valueLength = Math.min(length - s.length() + 1, 8 + random.nextInt(60));
            for (int i = 0; i < valueLength; i++) {
                switch (random.nextInt(40)) {
                    case 0 -> s.append("\\\"");
                    case 1 -> s.append("\\\\");
                    case 2 -> s.append("\\n");
                    default -> s.append(Character.forDigit(random.nextInt(36), 36));
                }
            }
            s.append('"');
        }
        return s.append('}').toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static long littleEndian(byte[] bytes, int at) {
        return (bytes[at] & 0xFFL) | (bytes[at + 1] & 0xFFL) << 8 | (bytes[at + 2] & 0xFFL) << 16
                | (bytes[at + 3] & 0xFFL) << 24;
    }
}
