package io.vedetta.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.InfoResponse;
import co.elastic.clients.elasticsearch.indices.IndexState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedElasticsearch.class)
class ElasticsearchProcessTest {

    @Test
    void servesTheVersionDocumentToTheOfficialClient(ElasticsearchProcess node) throws IOException {
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            InfoResponse info = client.info();

            assertAll(
                () -> assertEquals("8.19.21", info.version().number()),
                () -> assertEquals("vedetta-test", info.clusterName()),
                () -> assertTrue(client.ping().value(), "HEAD / answers"));
        }
    }

    @Test
    void bulkCreateIntoATemplatedNameMakesADataStreamHoldingEveryDocument(ElasticsearchProcess node) throws IOException {
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            EsTestSupport.putDataStreamTemplate(client, "logs-vedetta-create-");
            String dataStream = "logs-vedetta-create-default";

            EsTestSupport.bulkCreate(client, dataStream, 250);

            assertEquals(250, EsTestSupport.count(client, dataStream));
            Map<String, IndexState> backing = client.indices().get(g -> g.index(dataStream)).result();
            assertEquals(1, backing.size(), backing::toString);
            Map.Entry<String, IndexState> index = backing.entrySet().iterator().next();
            assertTrue(index.getKey().startsWith(".ds-" + dataStream), index.getKey());
            assertEquals(dataStream, index.getValue().dataStream());
        }
    }

    @Test
    void bindsOnlyToLoopbackAndStaysWithinItsMemoryBudget(ElasticsearchProcess node) throws IOException {
        long resident = node.residentBytes();

        assertTrue(node.url().startsWith("http://127.0.0.1:"), node.url());
        // -Xmx512m plus metaspace, code cache and Netty's direct buffers; an unbounded heap would blow this.
        assertTrue(resident > 0 && resident < 768L << 20, "resident set " + (resident >> 20) + " MiB");
    }
}
