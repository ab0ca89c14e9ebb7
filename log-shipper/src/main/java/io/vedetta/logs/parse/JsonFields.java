package io.vedetta.logs.parse;

/**
 * The fields of a message that is a JSON object ({@code logs.parseJson}), kept as that object written compactly in
 * UTF-8: a document copies them as they are, without a tree of nodes per record. A message that is compact already,
 * as JSON loggers write them, is its own copy: the fields refer to its bytes.
 */
public final class JsonFields {

    private final Utf8Text compact;

    /** {@code utf8} must hold one compact JSON object; it is not copied. */
    public JsonFields(byte[] utf8) {
        this(new Utf8Text(utf8, 0, utf8.length));
    }

    JsonFields(Utf8Text compact) {
        this.compact = compact;
    }

    /** The object's bytes, not copied, so not to be changed. */
    public Utf8Text text() {
        return compact;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonFields other && compact.equals(other.compact);
    }

    @Override
    public int hashCode() {
        return compact.hashCode();
    }

    /** The object as JSON text. */
    @Override
    public String toString() {
        return compact.toString();
    }
}
