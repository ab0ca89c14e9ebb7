package io.vedetta.logs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonObjectCopierTest {

    private final ObjectMapper tree = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonObjectCopier copier = new JsonObjectCopier(tree);

    /** What the pipeline wrote before it copied tokens: the message read as a tree and written back node by node. */
    private String throughTree(String message) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = tree.getFactory().createGenerator(out)) {
            JsonNodeWriter.write(g, tree.readTree(message));
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private String copied(String message) throws JsonProcessingException {
        return copier.copy(Utf8Text.of(message)).toString();
    }

    @Test
    void writesEveryKindOfValueAsTheTreeDid() throws IOException {
        List<String> messages = List.of(
                "{\"level\":\"info\",\"n\":1}",
                "  { \"a\" : [1, -2, 3.50, 1e5, 1E-7, -0.0, 0, -0], \"b\": {\"c\": null, \"d\": true, \"e\": false} } ",
                "{\"int\":2147483647,\"long\":2147483648,\"big\":123456789012345678901234567890,\"neg\":-9223372036854775809}",
                "{\"f\":1.7976931348623157E308,\"tiny\":4.9E-324,\"huge\":1e400,\"p\":0.1,\"q\":1.10,\"r\":100.0e-2}",
                "{\"esc\":\"quote \\\" backslash \\\\ slash \\/ tab \\t nl \\n u \\u00e9 \\u0001 emoji \\ud83d\\ude00\"}",
                "{\"utf8\":\"héllo wörld ✓ 😀\",\"ctl\":\"\\u001f\"}",
                "{\"deep\":{\"a\":{\"b\":{\"c\":[[[{\"d\":[]}]]]}}},\"empty\":{},\"arr\":[]}",
                "{}");
        for (String message : messages) {
            assertEquals(throughTree(message), copied(message), message);
        }
    }

    @Test
    void duplicateKeyKeepsTheLastValueInTheFirstKeysPlace() throws IOException {
        String message = "{\"a\":1,\"b\":{\"x\":1,\"x\":[2]},\"a\":3}";
        assertEquals("{\"a\":3,\"b\":{\"x\":[2]}}", copied(message));
        assertEquals(throughTree(message), copied(message));
    }

    @Test
    void findsADuplicateAmongManyKeys() throws IOException {
        StringBuilder message = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            message.append("\"k").append(i).append("\":").append(i).append(',');
        }
        message.append("\"k3\":\"again\",\"k39\":\"last\"}");
        assertEquals(throughTree(message.toString()), copied(message.toString()));
    }

    @Test
    void copiesMessageAfterMessageWhateverCameBefore() throws IOException {
        assertEquals("{\"a\":{\"b\":1}}", copied("{\"a\":{\"b\":1}}"));
        assertThrows(JsonProcessingException.class, () -> copier.copy(Utf8Text.of("{\"a\":{\"b\":")));
        assertEquals("{\"a\":2}", copied("{\"a\":1,\"a\":2}"));
        assertEquals("{\"c\":[{\"a\":1},{\"a\":1}]}", copied("{\"c\":[{\"a\":1},{\"a\":1}]}"));
        assertEquals("{\"d\":true}", copied("{\"d\":true}"));
    }

    @Test
    void textThatDoesNotStartAnObjectIsNotFields() throws JsonProcessingException {
        assertNull(copier.copy(Utf8Text.of("plain text {\"a\":1}")));
        assertNull(copier.copy(Utf8Text.of("[1,2]")));
        assertNull(copier.copy(Utf8Text.of("   ")));
        assertNull(copier.copy(Utf8Text.of("")));
    }

    @Test
    void somethingThatStartsLikeAnObjectButIsNotExactlyOneIsRefused() {
        assertThrows(JsonProcessingException.class, () -> copier.copy(Utf8Text.of("{\"level\":")));
        assertThrows(JsonProcessingException.class, () -> copier.copy(Utf8Text.of("{\"a\":1} trailing")));
        assertThrows(JsonProcessingException.class, () -> copier.copy(Utf8Text.of("{\"a\":1}{\"b\":2}")));
        assertThrows(JsonProcessingException.class, () -> copier.copy(Utf8Text.of("{a:1}")));
    }
}
