package io.vedetta.logs.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vedetta.logs.route.IndexMode;
import io.vedetta.logs.route.IndexRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, idempotently (a PUT of the same content), the ILM policy where the cluster has ILM, the index
 * template of the log targets (data streams or daily indices), one template per other stream of the routes
 * (Kubernetes events) and the dead-letter template. Uses the typed client: this runs once per start, where
 * convenience beats the bulk path's byte-level control.
 */
final class IndexBootstrap {

    /** Elasticsearch refused the setup for good (4xx): sending goes on without it. */
    static final class Refused extends Exception {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(IndexBootstrap.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchSinkConfig config;
    private final ElasticsearchClient client;
    private final Credentials credentials;
    private final ElasticsearchSinkMetrics metrics;
    private boolean ilmWarned;

    IndexBootstrap(ElasticsearchSinkConfig config, RestClient rest, Credentials credentials,
            ElasticsearchSinkMetrics metrics) {
        this.config = config;
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
        this.credentials = credentials;
        this.metrics = metrics;
    }

    /**
     * Installs everything; throws {@link IOException} when Elasticsearch cannot be reached or answers 5xx (try
     * again later) and {@link Refused} when it refuses the template (the operator must look).
     */
    void install() throws IOException, Refused {
        boolean ilm = config.routes().mode() == IndexMode.DATA_STREAM && installIlmPolicy();
        put(config.templateName(), logsTemplate(ilm).toString());
        for (var stream : config.routes().streams().entrySet()) {
            put(config.templateName() + "-" + stream.getKey(), streamTemplate(stream.getValue(), ilm).toString());
        }
        ObjectNode deadLetters = resource("deadletter-template.json");
        deadLetters.putArray("index_patterns").add(config.deadLetterPrefix() + "-*");
        put(config.deadLetterPrefix(), deadLetters.toString());
        LOG.info("Elasticsearch index template {} installed for {} ({}), dead letters in {}-*", config.templateName(),
                config.routes().pattern(), ilm ? "with ILM policy " + config.templateName() : "without ILM",
                config.deadLetterPrefix());
    }

    ObjectNode logsTemplate(boolean ilm) {
        ObjectNode template = resource("index-template.json");
        template.putArray("index_patterns").add(config.routes().pattern());
        if (config.routes().mode() == IndexMode.DATA_STREAM) {
            template.putObject("data_stream");
        }
        ObjectNode inner = (ObjectNode) template.get("template");
        if (ilm) {
            ((ObjectNode) inner.get("settings")).put("index.lifecycle.name", config.templateName());
        }
        ObjectNode properties = (ObjectNode) inner.get("mappings").get("properties");
        properties.putObject(config.jsonField()).put("type", "flattened").put("ignore_above", 1024);
        // One template maps both layouts' fields, but "log" is fluentd's message and an object in ECS (log.file.path).
        properties.putObject(config.messageField()).put("type", "text");
        return template;
    }

    /** The template of a stream's targets: its own settings and mappings, with the logs' priority and lifecycle. */
    ObjectNode streamTemplate(IndexRoutes.Stream stream, boolean ilm) {
        ObjectNode template = JSON.createObjectNode();
        template.put("priority", resource("index-template.json").path("priority").asInt());
        template.putArray("index_patterns").add(config.routes().pattern(stream));
        if (config.routes().mode() == IndexMode.DATA_STREAM) {
            template.putObject("data_stream");
        }
        ObjectNode inner;
        try {
            inner = (ObjectNode) JSON.readTree(stream.template());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("the index template of a stream is not a JSON object", e);
        }
        if (ilm) {
            ObjectNode settings = inner.get("settings") instanceof ObjectNode o ? o : inner.putObject("settings");
            settings.put("index.lifecycle.name", config.templateName());
        }
        template.set("template", inner);
        return template;
    }

    private void put(String name, String body) throws IOException, Refused {
        try {
            try {
                client.indices().putIndexTemplate(t -> t.name(name).withJson(new StringReader(body)));
            } catch (ElasticsearchException e) {
                if (e.status() != 401 || !credentials.present()) {
                    throw e;
                }
                // A rotated Secret not looked at yet: read the credentials again and try once more.
                credentials.reload();
                client.indices().putIndexTemplate(t -> t.name(name).withJson(new StringReader(body)));
            }
        } catch (ElasticsearchException e) {
            if (e.status() == 401) {
                metrics.error("unauthorized").increment();
                throw new IOException("Elasticsearch refuses the credentials (401) for index template " + name
                        + ", also after reading them again", e);
            }
            if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
                throw new Refused("Elasticsearch refused index template " + name + ": " + e.getMessage(), e);
            }
            throw new IOException("installing index template " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** False, with one warning per process, where the cluster has no ILM (or refuses it to this user). */
    private boolean installIlmPolicy() throws IOException {
        String policy = resource("ilm-policy.json").toString();
        try {
            client.ilm().putLifecycle(p -> p.name(config.templateName()).withJson(new StringReader(policy)));
            return true;
        } catch (ElasticsearchException | TransportException e) {
            if (e instanceof ElasticsearchException ee && (ee.status() >= 500 || ee.status() == 429)) {
                throw new IOException("installing ILM policy failed: " + ee.getMessage(), ee);
            }
            metrics.error("ilm").increment();
            if (!ilmWarned) {
                ilmWarned = true;
                LOG.warn("Elasticsearch has no usable ILM ({}); data streams are created without a lifecycle policy",
                        e.getMessage());
            }
            return false;
        }
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = IndexBootstrap.class.getResourceAsStream(name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled " + name, e);
        }
    }
}
