package io.vedetta.bytes;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON that is already UTF-8 bytes, for {@code JsonGenerator.writeRawValue}: a byte generator copies the bytes
 * as they are, where writing a String would decode them and the generator encode them again. The quoted forms,
 * and the char forms go through the text.
 */
public final class RawJson implements SerializableString {

    private final byte[] utf8;
    private final int offset;
    private final int length;
    private String text;

    /** {@code utf8} must be one complete JSON value; it is not copied. */
    public RawJson(byte[] utf8) {
        this(utf8, 0, utf8.length);
    }

    /** The JSON value in {@code utf8[offset, offset+length)}, which is not copied. */
    public RawJson(byte[] utf8, int offset, int length) {
        this.utf8 = utf8;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public String getValue() {
        if (text == null) {
            text = new String(utf8, offset, length, StandardCharsets.UTF_8);
        }
        return text;
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return quoted().asQuotedChars();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return offset == 0 && length == utf8.length ? utf8 : Arrays.copyOfRange(utf8, offset, offset + length);
    }

    @Override
    public byte[] asQuotedUTF8() {
        return quoted().asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return quoted().appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return quoted().appendQuoted(buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, this.offset, buffer, offset, length);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return quoted().appendUnquoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return quoted().writeQuotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8, offset, length);
        return length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
        return quoted().putQuotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) throws IOException {
        if (buffer.remaining() < length) {
            return -1;
        }
        buffer.put(utf8, offset, length);
        return length;
    }

    @Override
    public String toString() {
        return getValue();
    }

    private SerializedString quoted() {
        return new SerializedString(getValue());
    }
}
