package io.vedetta.logs.sink.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vedetta.logs.sink.elasticsearch.BulkResponseParser.ItemResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkResponseParserTest {

    @Test
    void readsEachItemsStatusAndTheTopLevelErrorOfFailures() throws IOException {
        List<ItemResult> items;
        try (InputStream in = getClass().getResourceAsStream("/elasticsearch/bulk-response-mixed.json")) {
            items = BulkResponseParser.parse(in, 1);
        }

        assertEquals(List.of(201, 409, 429, 400, 503), items.stream().map(ItemResult::status).toList());
        assertEquals(List.of(ItemFate.DELIVERED, ItemFate.DELIVERED, ItemFate.RETRY, ItemFate.DEAD_LETTER, ItemFate.RETRY),
                items.stream().map(i -> ItemFate.of(i.status())).toList());
        assertEquals("document_parsing_exception", items.get(3).errorType());
        assertEquals("[1:42] failed to parse field [log] of type [long] in document with id 'd'. Preview of field's"
                + " value: 'hello'", items.get(3).reason(), "the reason of the error, not of its cause");
        assertEquals("", items.get(0).errorType());
    }

    @Test
    void anItemWithoutAUsableStatusIsRetriedNotDeadLettered() throws IOException {
        List<ItemResult> items = BulkResponseParser.parse(new ByteArrayInputStream(("{\"items\":[{\"create\":{}},"
                + "{\"create\":{\"status\":\"201\"}},{\"create\":{\"status\":{\"x\":1}}},{\"create\":{\"status\":100}},"
                + "{\"create\":{\"status\":301}},{\"create\":{\"status\":400}}]}").getBytes(StandardCharsets.UTF_8)), 6);

        assertEquals(List.of(0, 0, 0, 100, 301, 400), items.stream().map(ItemResult::status).toList());
        assertEquals(List.of(ItemFate.RETRY, ItemFate.RETRY, ItemFate.RETRY, ItemFate.RETRY, ItemFate.RETRY,
                ItemFate.DEAD_LETTER), items.stream().map(i -> ItemFate.of(i.status())).toList());
    }

    @Test
    void aResponseThatIsNotABulkResponseIsAnError() {
        assertThrows(IOException.class, () -> BulkResponseParser.parse(
                new ByteArrayInputStream("[1,2]".getBytes(StandardCharsets.UTF_8)), 1));
    }
}
