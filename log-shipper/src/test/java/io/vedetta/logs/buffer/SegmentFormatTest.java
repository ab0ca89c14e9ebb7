package io.vedetta.logs.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vedetta.logs.record.RoutingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** A frame holds exactly what was written, or is refused before it is written; anything else reads as corrupt. */
class SegmentFormatTest {

    private static final int MAX = SegmentFormat.MAX_FIELD_BYTES;

    private static ByteBuffer framed(List<StoredRecord> records) {
        ByteBuffer out = ByteBuffer.allocate(records.stream().mapToInt(SegmentFormat::frameBytes).sum());
        CRC32C crc = new CRC32C();
        records.forEach(r -> SegmentFormat.write(r, out, crc));
        assertEquals(out.capacity(), out.position(), "frameBytes is what write writes");
        return out.flip();
    }

    @Test
    void routesWithNulsNonAsciiTextAndTheLongestFieldsComeBackExactly() {
        List<StoredRecord> written = List.of(
                new StoredRecord("id-1", new RoutingKey("ns\u0000with-nul", "a\u0000b\u0000c", 5), json("one"), 1),
                new StoredRecord("\u00e9\u65e5\ud83d\ude00", new RoutingKey("gr\u00f6\u00dfe", "\u65e5\u672c", -1),
                        json("two"), 2),
                new StoredRecord("i".repeat(MAX), new RoutingKey("n".repeat(MAX), "\u00e9".repeat(MAX / 2), 0),
                        json("three"), 3),
                new StoredRecord("empty", RoutingKey.NONE, new byte[0], 4),
                new StoredRecord("event-1", new RoutingKey("shop", "", 7, "events"), json("five"), 5));
        ByteBuffer frames = framed(written);

        for (StoredRecord expected : written) {
            StoredRecord read = SegmentFormat.read(frames, SegmentFormat.CURRENT, 99);
            assertEquals(expected.id(), read.id());
            assertEquals(expected.routing(), read.routing());
            assertArrayEquals(expected.json(), read.json());
            assertEquals(99, read.readNanos(), "read back now");
        }
        assertEquals(0, frames.remaining());
    }

    @Test
    void refusesFieldsLongerThanTheFrameAllowsCountingUtf8Bytes() {
        assertNull(SegmentFormat.problem("i".repeat(MAX), new RoutingKey("n".repeat(MAX), "a".repeat(MAX), 0)));
        assertEquals("frame_limit", SegmentFormat.problem("i".repeat(MAX + 1), RoutingKey.NONE).reason());
        assertEquals("frame_limit", SegmentFormat.problem("id", new RoutingKey("n".repeat(MAX + 1), "", 0)).reason());
        // 32,768 two-byte characters: 65,536 bytes.
        assertEquals("frame_limit",
                SegmentFormat.problem("id", new RoutingKey("", "\u00e9".repeat(32_768), 0)).reason());
        assertNull(SegmentFormat.problem("id", new RoutingKey("", "\ud83d\ude00".repeat(MAX / 4), 0)));
    }

    @Test
    void refusesTextWithAnUnpairedSurrogate() {
        assertEquals("invalid_text", SegmentFormat.problem("id\ud800", RoutingKey.NONE).reason());
        assertEquals("invalid_text", SegmentFormat.problem("id", new RoutingKey("\udc00ns", "", 0)).reason());
        assertEquals("invalid_text", SegmentFormat.problem("id", new RoutingKey("", "x\ud83d", 0)).reason());
        assertEquals(-1, SegmentFormat.utf8Length("\ude00\ud83d"), "a pair in the wrong order");
        assertEquals(4, SegmentFormat.utf8Length("\ud83d\ude00"));
    }

    @Test
    void aFrameCutShortOrAlteredReadsAsCorruptAndLeavesThePositionWhereItWas() {
        ByteBuffer whole = framed(List.of(new StoredRecord("id", new RoutingKey("ns", "", 1), json("x"), 0)));
        ByteBuffer cut = ByteBuffer.wrap(whole.array(), 0, whole.limit() - 1).slice();
        assertNull(SegmentFormat.read(cut, SegmentFormat.CURRENT, 0));
        assertEquals(0, cut.position());

        whole.array()[whole.limit() - 2] ^= 1;
        assertNull(SegmentFormat.read(whole, SegmentFormat.CURRENT, 0));
        assertEquals(0, whole.position());
    }

    @Test
    void aVersion2FrameWrittenBeforeStreamsExistedReadsBackAsAContainerLog() {
        byte[] id = "id-2".getBytes(StandardCharsets.UTF_8);
        byte[] namespace = "shop".getBytes(StandardCharsets.UTF_8);
        byte[] annotation = "audit".getBytes(StandardCharsets.UTF_8);
        byte[] document = json("old");
        int payload = 2 + id.length + 2 + namespace.length + 2 + annotation.length + 8 + document.length;
        ByteBuffer frame = ByteBuffer.allocate(8 + payload);
        frame.position(8);
        frame.putShort((short) id.length).put(id).putShort((short) namespace.length).put(namespace)
                .putShort((short) annotation.length).put(annotation).putLong(42).put(document);
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), 8, payload);
        frame.putInt(0, payload).putInt(4, (int) crc.getValue()).flip();

        StoredRecord read = SegmentFormat.read(frame, 2, 0);

        assertEquals("id-2", read.id());
        assertEquals(new RoutingKey("shop", "audit", 42), read.routing());
        assertArrayEquals(document, read.json());
    }

    @Test
    void aSegmentNamesItsVersionInItsFirstEightBytes() {
        assertEquals(3, SegmentFormat.version(SegmentFormat.header(3)));
        assertEquals(2, SegmentFormat.version(SegmentFormat.header(2)));
        assertEquals(1, SegmentFormat.version(SegmentFormat.header(1)));
        assertEquals(-1, SegmentFormat.version("VBUFSEG9".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-1, SegmentFormat.version(new byte[3]));
    }

    private static byte[] json(String message) {
        return ("{\"log\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
