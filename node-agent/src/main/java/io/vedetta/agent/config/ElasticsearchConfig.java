package io.vedetta.agent.config;

import java.net.URI;
import java.util.List;

/** Where logs are delivered. Several URLs are used round-robin with failover. */
public record ElasticsearchConfig(List<URI> urls) {

    static ElasticsearchConfig from(ConfigNode n) {
        List<URI> urls = n.urlList("urls", List.of("http://localhost:9200"));
        if (urls.isEmpty()) {
            throw new ConfigException(n.path("urls"), "the list is empty",
                    "give at least one URL, e.g. urls: [\"https://elasticsearch:9200\"]");
        }
        return new ElasticsearchConfig(urls);
    }
}
