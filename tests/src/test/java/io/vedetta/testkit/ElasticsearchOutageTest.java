package io.vedetta.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real outages of the shared node; each test leaves it running again. */
@ExtendWith(SharedElasticsearch.class)
class ElasticsearchOutageTest {

    @Test
    void gracefulRestartKeepsDocumentsAndAddress(ElasticsearchProcess node) throws IOException {
        String dataStream = "logs-vedetta-restart-default";
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            EsTestSupport.putDataStreamTemplate(client, "logs-vedetta-restart-");
            EsTestSupport.bulkCreate(client, dataStream, 40);
        }
        String url = node.url();

        node.restart();

        assertEquals(url, node.url());
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            assertEquals(40, EsTestSupport.count(client, dataStream));
        }
    }

    @Test
    void killedNodeIsUnreachableThenComesBackWithAcknowledgedDocuments(ElasticsearchProcess node) throws IOException {
        String dataStream = "logs-vedetta-kill-default";
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            EsTestSupport.putDataStreamTemplate(client, "logs-vedetta-kill-");
            EsTestSupport.bulkCreate(client, dataStream, 60);
        }

        node.kill();

        assertFalse(node.isRunning());
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            assertThrows(IOException.class, client::info);
        }
        node.restart();
        try (ElasticsearchClient client = EsTestSupport.connect(node)) {
            assertEquals(60, EsTestSupport.count(client, dataStream));
            EsTestSupport.bulkCreate(client, dataStream, 1);
            assertEquals(61, EsTestSupport.count(client, dataStream));
        }
    }

    @Test
    void failedStartReportsTheNodesLastLogLines(@TempDir Path home) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> ElasticsearchProcess.start(home, taken.getLocalPort()));

            assertTrue(failure.getMessage().contains("Failed to bind to 127.0.0.1:" + taken.getLocalPort()),
                failure.getMessage());
        }
    }
}
