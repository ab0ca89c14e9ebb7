package io.vedetta.logs.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a message that is a JSON object ({@code logs.parseJson}), kept as that object written again
 * compactly in UTF-8: a document copies them as they are, without a tree of nodes per record.
 */
public final class JsonFields {

    private final byte[] utf8;

    /** {@code utf8} must hold one compact JSON object; it is not copied. */
    public JsonFields(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The object's bytes; not copied, so not to be changed. */
    public byte[] utf8() {
        return utf8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonFields other && Arrays.equals(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    /** The object as JSON text. */
    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
