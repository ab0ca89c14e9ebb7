package io.vedetta.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.InfoResponse;
import co.elastic.clients.elasticsearch.indices.IndexState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void acceptsConnectionsOnlyOnLoopback(ElasticsearchProcess node) throws IOException {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
            .filter(EsTestSupport::isUpAndNotLoopback)
            .flatMap(NetworkInterface::inetAddresses)
            .filter(address -> address instanceof Inet4Address)
            .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to probe");

        new Socket(InetAddress.getLoopbackAddress(), node.httpPort()).close();
        assertThrows(ConnectException.class, () -> new Socket(external.get(), node.httpPort()).close());
    }

    @Test
    void staysWithinItsMemoryBudget(ElasticsearchProcess node) throws IOException {
        long resident = node.residentBytes();

        // -Xmx512m plus metaspace, code cache and Netty's buffers; an unbounded heap would blow this.
        assertTrue(resident > 0 && resident < 768L << 20, "resident set " + (resident >> 20) + " MiB");
    }
}
