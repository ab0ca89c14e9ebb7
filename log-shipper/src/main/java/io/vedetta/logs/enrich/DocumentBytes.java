package io.vedetta.logs.enrich;

import io.vedetta.bytes.JsonBytes;
import io.vedetta.logs.parse.LogStream;

/**
 * The parts of one file's documents that are the same in every record, as UTF-8 JSON, for
 * {@link LogDocument#writeUtf8}: the message and JSON fields' names with their commas and colons, the stream
 * fields and the metadata.
 *
 * @param messageKey {@code ,"log":} or {@code ,"message":}
 * @param streams    per {@link LogStream}, {@code ,"stream":"stdout"}; unused for {@link LogStream#UNKNOWN}
 * @param jsonKey    {@code ,"json":} (the parsed fields' name)
 * @param metadata   the metadata entries, each after a comma
 */
record DocumentBytes(byte[] messageKey, byte[][] streams, byte[] jsonKey, byte[] metadata) {

    /** Null when a name is text {@link JsonBytes#writeQuoted} leaves to Jackson: such a file's documents take its way. */
    static DocumentBytes of(DocumentLayout layout, String jsonField, Fields metadata) {
        byte[] messageKey = key(layout.messageField());
        byte[] jsonKey = key(jsonField);
        byte[] streamKey = key(layout.streamField());
        if (messageKey == null || jsonKey == null || streamKey == null) {
            return null;
        }
        byte[][] streams = new byte[LogStream.values().length][];
        for (LogStream stream : LogStream.values()) {
            JsonBytes entry = new JsonBytes(32);
            entry.writeBytes(streamKey);
            entry.writeQuoted(stream.text());
            streams[stream.ordinal()] = entry.toByteArray();
        }
        return new DocumentBytes(messageKey, streams, jsonKey, metadata.followingEntries().asUnquotedUTF8());
    }

    /** {@code ,"name":}, or null. */
    static byte[] key(String name) {
        JsonBytes key = new JsonBytes(name.length() + 8);
        key.write(',');
        if (!key.writeQuoted(name)) {
            return null;
        }
        key.write(':');
        return key.toByteArray();
    }
}
