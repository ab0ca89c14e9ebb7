package io.vedetta.agent.metrics.exposition;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes a label set as the text format writes it ({@code {a="1",b="x\"y"}}), for a series its reader has not seen
 * before. One instance of every label name and value read is shared until {@link #forget}, so that the label sets of
 * a response (tens of thousands on a full node, made of a few hundred distinct strings) share their strings.
 */
public final class LabelText {

    /** Receives the labels of a set in the order they are written; may throw {@link IllegalArgumentException}. */
    public interface Pairs {
        void label(String name, String value);
    }

    private Map<String, String> strings = new HashMap<>();

    /** Reads {@code b[from, to)}, which starts with its opening brace, into {@code out}. */
    public void read(byte[] b, int from, int to, Pairs out) {
        new Cursor(new String(b, from, to - from, StandardCharsets.UTF_8), strings).labels(out);
    }

    /** Lets go of the strings shared so far: called between responses. */
    public void forget() {
        strings = new HashMap<>();
    }
}
