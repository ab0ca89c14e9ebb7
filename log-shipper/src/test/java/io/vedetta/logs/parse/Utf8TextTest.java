package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Utf8TextTest {

    @Test
    void cutsTextIntoPiecesWithoutSplittingCharacters() {
        String chars = "a\u00e9\u20ac\uD83D\uDE00b";
        Utf8Text text = Utf8Text.of(chars);
        assertEquals(11, text.length());
        for (int max = 1; max <= 12; max++) {
            StringBuilder joined = new StringBuilder();
            for (int from = 0; from < text.length(); ) {
                int to = text.cut(from, max);
                assertTrue(to > from, "max " + max);
                String piece = text.slice(from, to).toString();
                assertFalse(piece.contains("\uFFFD"), () -> "cut a character: " + piece);
                // One character longer than the limit still goes, alone: a cut always makes progress.
                assertTrue(to - from <= max || piece.codePointCount(0, piece.length()) == 1, "max " + max);
                joined.append(piece);
                from = to;
            }
            assertEquals(chars, joined.toString());
        }
    }
}
