package io.vedetta.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the Elasticsearch tests do through the official client: templates, bulk creates, counts. */
final class EsTestSupport {

    private EsTestSupport() {}

    static ElasticsearchClient connect(ElasticsearchProcess node) {
        RestClient http = RestClient.builder(HttpHost.create(node.url())).build();
        return new ElasticsearchClient(new RestClientTransport(http, new JacksonJsonpMapper()));
    }

    /** A composable template that turns every index matching {@code prefix*} into a data stream. */
    static void putDataStreamTemplate(ElasticsearchClient client, String prefix) throws IOException {
        client.indices().putIndexTemplate(t -> t
            .name(prefix + "template")
            .indexPatterns(prefix + "*")
            .dataStream(d -> d)
            .template(body -> body
                .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                .mappings(m -> m.properties("message", p -> p.text(x -> x)))));
    }

    /** Bulk-creates {@code count} log documents and waits until a search can see them. */
    static void bulkCreate(ElasticsearchClient client, String target, int count) throws IOException {
        List<BulkOperation> operations = IntStream.range(0, count)
            .mapToObj(i -> BulkOperation.of(op -> op.create(c -> c
                .index(target)
                .document(Map.of("@timestamp", Instant.now().toString(), "message", "line " + i)))))
            .toList();
        BulkResponse response = client.bulk(b -> b.operations(operations).refresh(Refresh.WaitFor));
        assertFalse(response.errors(), () -> "bulk item failures: " + response.items().stream()
            .filter(item -> item.error() != null).map(item -> item.error().reason()).toList());
    }

    static boolean isUpAndNotLoopback(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    static long count(ElasticsearchClient client, String target) throws IOException {
        return client.count(c -> c.index(target)).count();
    }
}
