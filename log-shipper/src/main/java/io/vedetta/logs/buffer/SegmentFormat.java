package io.vedetta.logs.buffer;

import io.vedetta.logs.record.RoutingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The bytes of a spill segment: an eight-byte header naming the version, then one frame per record,
 * {@code [payload length u32][CRC32C of the payload u32][payload]}.
 * <ul>
 *   <li>Version 3 ({@code VBUFSEG3}, written now): the payload is {@code [id length u16][id][namespace length u16]
 *       [namespace][annotation length u16][annotation][stream length u16][stream][epoch nanos i64][document]},
 *       strings in UTF-8. The stream sends a record of another kind (Kubernetes events) to its own targets after a
 *       replay too.</li>
 *   <li>Version 2 ({@code VBUFSEG2}, written before streams existed, still read): version 3 without the stream, so
 *       its records are container logs.</li>
 *   <li>Version 1 ({@code VBUFSEG1}, written up to commit 1fbed7c, still read so a restart after an upgrade replays
 *       what the earlier version spilled): {@code [id length u16][id][routing length u16][namespace NUL annotation NUL
 *       epoch nanos in decimal][document]}. A routing key of more than 65,535 bytes wrapped its length and corrupted
 *       the record, and a NUL in it lost the route: version 2 gives each field its own length and refuses what does
 *       not fit.</li>
 * </ul>
 * A record can be framed when its id, namespace, annotation and stream each take at most {@value #MAX_FIELD_BYTES} bytes in
 * UTF-8 and are well-formed text (no unpaired surrogate, which UTF-8 cannot carry); {@link #problem} says why not.
 */
final class SegmentFormat {

    static final int MAX_FIELD_BYTES = 0xFFFF;
    static final int HEADER_BYTES = 8;
    static final int CURRENT = 3;

    private static final byte[] HEADER_V1 = "VBUFSEG1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_V2 = "VBUFSEG2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_V3 = "VBUFSEG3".getBytes(StandardCharsets.US_ASCII);
    /** Payload length and checksum. */
    private static final int FRAME_HEAD = 4 + 4;
    /** The four field lengths and the time of a version 3 payload. */
    private static final int V3_FIXED = 2 + 2 + 2 + 2 + 8;

    /** Why a record cannot be framed: {@code reason} is the metric's tag, {@code detail} goes to the log. */
    record Problem(String reason, String detail) {
    }

    private SegmentFormat() {
    }

    static byte[] header(int version) {
        return (version == 1 ? HEADER_V1 : version == 2 ? HEADER_V2 : HEADER_V3).clone();
    }

    /** The version a segment's first bytes name, or -1 when they name none. */
    static int version(byte[] content) {
        if (content.length >= HEADER_BYTES) {
            if (Arrays.equals(content, 0, HEADER_BYTES, HEADER_V3, 0, HEADER_BYTES)) {
                return 3;
            }
            if (Arrays.equals(content, 0, HEADER_BYTES, HEADER_V2, 0, HEADER_BYTES)) {
                return 2;
            }
            if (Arrays.equals(content, 0, HEADER_BYTES, HEADER_V1, 0, HEADER_BYTES)) {
                return 1;
            }
        }
        return -1;
    }

    /** Why a record with this id and routing cannot be framed, or null when it can. */
    static Problem problem(String id, RoutingKey routing) {
        Problem problem = fieldProblem("id", id);
        if (problem == null) {
            problem = fieldProblem("namespace", routing.namespace());
        }
        if (problem == null) {
            problem = fieldProblem("route annotation", routing.annotation());
        }
        if (problem == null) {
            problem = fieldProblem("stream", routing.stream());
        }
        return problem;
    }

    private static Problem fieldProblem(String field, String text) {
        int bytes = utf8Length(text);
        if (bytes < 0) {
            return new Problem("invalid_text",
                    "its " + field + " holds an unpaired surrogate, which UTF-8 cannot carry");
        }
        if (bytes > MAX_FIELD_BYTES) {
            return new Problem("frame_limit", "its " + field + " takes " + bytes + " bytes, more than the "
                    + MAX_FIELD_BYTES + " a spill segment frame allows");
        }
        return null;
    }

    /** Bytes the current version's frame of {@code record} takes. */
    static int frameBytes(StoredRecord record) {
        RoutingKey routing = record.routing();
        return FRAME_HEAD + V3_FIXED + utf8Length(record.id()) + utf8Length(routing.namespace())
                + utf8Length(routing.annotation()) + utf8Length(routing.stream()) + record.json().length;
    }

    /**
     * Appends the current version's frame of {@code record}, which must be framable ({@link #problem} null);
     * {@code crc} is scratch.
     */
    static void write(StoredRecord record, ByteBuffer out, CRC32C crc) {
        byte[] id = record.id().getBytes(StandardCharsets.UTF_8);
        byte[] namespace = record.routing().namespace().getBytes(StandardCharsets.UTF_8);
        byte[] annotation = record.routing().annotation().getBytes(StandardCharsets.UTF_8);
        byte[] stream = record.routing().stream().getBytes(StandardCharsets.UTF_8);
        int payload = V3_FIXED + id.length + namespace.length + annotation.length + stream.length
                + record.json().length;
        int frame = out.position();
        out.position(frame + FRAME_HEAD);
        int start = out.position();
        out.putShort((short) id.length).put(id)
                .putShort((short) namespace.length).put(namespace)
                .putShort((short) annotation.length).put(annotation)
                .putShort((short) stream.length).put(stream)
                .putLong(record.routing().epochNanos())
                .put(record.json());
        crc.reset();
        crc.update(out.array(), out.arrayOffset() + start, payload);
        out.putInt(frame, payload).putInt(frame + 4, (int) crc.getValue());
    }

    /**
     * The next frame of a segment of {@code version}, or null (position unchanged) when it is cut short, fails its
     * checksum or does not hold together. {@code readNanos} becomes the record's read time.
     */
    static StoredRecord read(ByteBuffer buffer, int version, long readNanos) {
        int start = buffer.position();
        StoredRecord record = null;
        if (buffer.remaining() >= FRAME_HEAD) {
            int payload = buffer.getInt();
            int expected = buffer.getInt();
            if (payload >= 4 && payload <= buffer.remaining()) {
                CRC32C crc = new CRC32C();
                crc.update(buffer.array(), buffer.arrayOffset() + buffer.position(), payload);
                if ((int) crc.getValue() == expected) {
                    ByteBuffer frame = buffer.slice(buffer.position(), payload);
                    record = version == 1 ? payloadV1(frame, readNanos) : payload(frame, version == 3, readNanos);
                    buffer.position(buffer.position() + payload);
                }
            }
        }
        if (record == null) {
            buffer.position(start);
        }
        return record;
    }

    /** A version 3 payload, or with {@code withStream} false a version 2 one (a container log's). */
    private static StoredRecord payload(ByteBuffer payload, boolean withStream, long readNanos) {
        String id = string(payload);
        String namespace = id == null ? null : string(payload);
        String annotation = namespace == null ? null : string(payload);
        String stream = annotation == null ? null : withStream ? string(payload) : "";
        if (stream == null || payload.remaining() < 8) {
            return null;
        }
        long epochNanos = payload.getLong();
        return new StoredRecord(id, new RoutingKey(namespace, annotation, epochNanos, stream), rest(payload),
                readNanos);
    }

    private static StoredRecord payloadV1(ByteBuffer payload, long readNanos) {
        String id = string(payload);
        String routing = id == null ? null : string(payload);
        if (routing == null) {
            return null;
        }
        return new StoredRecord(id, routingV1(routing), rest(payload), readNanos);
    }

    /** Version 1's routing text: namespace, annotation and time between NULs; none when it is not that. */
    private static RoutingKey routingV1(String encoded) {
        String[] parts = encoded.split("\u0000", -1);
        if (parts.length != 3) {
            return RoutingKey.NONE;
        }
        try {
            return new RoutingKey(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return RoutingKey.NONE;
        }
    }

    /** A u16-length-prefixed UTF-8 string, or null when the payload is too short for it. */
    private static String string(ByteBuffer payload) {
        if (payload.remaining() < 2) {
            return null;
        }
        int length = Short.toUnsignedInt(payload.getShort());
        if (length > payload.remaining()) {
            return null;
        }
        String text = new String(payload.array(), payload.arrayOffset() + payload.position(), length,
                StandardCharsets.UTF_8);
        payload.position(payload.position() + length);
        return text;
    }

    private static byte[] rest(ByteBuffer payload) {
        byte[] json = new byte[payload.remaining()];
        payload.get(json);
        return json;
    }

    /** Bytes {@code text} takes in UTF-8, or -1 when it holds an unpaired surrogate. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                return -1;
            }
        }
        return bytes;
    }
}
