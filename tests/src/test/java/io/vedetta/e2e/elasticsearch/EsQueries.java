package io.vedetta.e2e.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** What the delivery tests ask the real node: counts, mappings, settings and every sequence number stored. */
final class EsQueries implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RestClient client;

    EsQueries(String url) {
        client = RestClient.builder(HttpHost.create(url)).build();
    }

    JsonNode call(String method, String path, String body) {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        try {
            return JSON.readTree(client.performRequest(request).getEntity().getContent());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    /** Documents in {@code target} after a refresh; -1 while it does not exist or the node does not answer. */
    long count(String target) {
        try {
            call("POST", "/" + target + "/_refresh", null);
            return call("GET", "/" + target + "/_count", null).path("count").asLong();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ResponseException re && re.getResponse().getStatusLine().getStatusCode() == 404) {
                return -1;
            }
            if (e.getCause() instanceof java.net.ConnectException) {
                return -1;
            }
            throw e;
        }
    }

    /** {@code json.seq} of every document in {@code target}, through a scroll, duplicates kept. */
    List<Long> sequences(String target) {
        call("POST", "/" + target + "/_refresh", null);
        List<Long> out = new ArrayList<>();
        JsonNode page = call("POST", "/" + target + "/_search?scroll=1m",
                "{\"size\":10000,\"_source\":[\"json.seq\"],\"sort\":[\"_doc\"]}");
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                out.add(hit.path("_source").path("json").path("seq").asLong(-1));
            }
            page = call("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\""
                    + page.path("_scroll_id").asText() + "\"}");
        }
        call("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
        return out;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
