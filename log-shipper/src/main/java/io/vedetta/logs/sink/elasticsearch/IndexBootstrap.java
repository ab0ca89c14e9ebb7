package io.vedetta.logs.sink.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vedetta.logs.route.IndexMode;
import io.vedetta.logs.route.IndexRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, idempotently (a PUT of the same content), the ILM policy where the cluster has ILM, the index
 * template of the log targets (data streams or daily indices), one template per other stream of the routes
 * (Kubernetes events) and the dead-letter template: PUTs through the sink's own low-level client. The typed client
 * (elasticsearch-java) did the same with 10,000 classes in the agent's jar, whose central directory the JVM keeps on
 * the heap (1.4 MiB) and a few hundred of which it loaded at start.
 */
final class IndexBootstrap {

    /** Elasticsearch refused the setup for good (4xx): sending goes on without it. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(IndexBootstrap.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchSinkConfig config;
    private final RestClient client;
    private final Credentials credentials;
    private final ElasticsearchSinkMetrics metrics;
    private boolean ilmWarned;
    /** What Elasticsearch answered to the last request it refused. */
    private String refusal;

    IndexBootstrap(ElasticsearchSinkConfig config, RestClient rest, Credentials credentials,
            ElasticsearchSinkMetrics metrics) {
        this.config = config;
        this.client = rest;
        this.credentials = credentials;
        this.metrics = metrics;
    }

    /**
     * Installs everything; throws {@link IOException} when Elasticsearch cannot be reached or answers 5xx (try
     * again later) and {@link Refused} when it refuses the template (the operator must look).
     */
    void install() throws IOException, Refused {
        boolean ilm = config.routes().mode() == IndexMode.DATA_STREAM && installIlmPolicy();
        putTemplate(config.templateName(), logsTemplate(ilm).toString());
        for (var stream : config.routes().streams().entrySet()) {
            putTemplate(config.templateName() + "-" + stream.getKey(),
                    streamTemplate(stream.getValue(), ilm).toString());
        }
        ObjectNode deadLetters = resource("deadletter-template.json");
        deadLetters.putArray("index_patterns").add(config.deadLetterPrefix() + "-*");
        putTemplate(config.deadLetterPrefix(), deadLetters.toString());
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

    private void putTemplate(String name, String body) throws IOException, Refused {
        String path = "/_index_template/" + pathSegment(name);
        int status = put(path, body);
        if (status == 401 && credentials.present()) {
            // A rotated Secret not looked at yet: read the credentials again and try once more.
            credentials.reload();
            status = put(path, body);
        }
        if (status == 401) {
            metrics.error("unauthorized").increment();
            throw new IOException("Elasticsearch refuses the credentials (401) for index template " + name
                    + ", also after reading them again");
        }
        if (status >= 400 && status < 500 && status != 429) {
            throw new Refused("Elasticsearch refused index template " + name + ": " + refusal);
        }
        if (status >= 300) {
            throw new IOException("installing index template " + name + " failed: " + refusal);
        }
    }

    /** False, with one warning per process, where the cluster has no ILM (or refuses it to this user). */
    private boolean installIlmPolicy() throws IOException {
        String policy = resource("ilm-policy.json").toString();
        int status = put("/_ilm/policy/" + pathSegment(config.templateName()), policy);
        if (status < 300) {
            return true;
        }
        if (status >= 500 || status == 429) {
            throw new IOException("installing ILM policy failed: " + refusal);
        }
        metrics.error("ilm").increment();
        if (!ilmWarned) {
            ilmWarned = true;
            LOG.warn("Elasticsearch has no usable ILM ({}); data streams are created without a lifecycle policy",
                    refusal);
        }
        return false;
    }

    /**
     * PUTs {@code json} to {@code path}: the status, with what Elasticsearch answered in {@link #refusal} when it is
     * not 2xx; an {@link IOException} when no answer came.
     */
    private int put(String path, String json) throws IOException {
        Request request = new Request("PUT", path);
        request.setJsonEntity(json);
        try {
            return client.performRequest(request).getStatusLine().getStatusCode();
        } catch (ResponseException e) {
            // Method, path, status line and Elasticsearch's error document: no credential is in it.
            refusal = e.getMessage();
            return e.getResponse().getStatusLine().getStatusCode();
        }
    }

    /** A name as one path segment, escaped as Elasticsearch's clients escape it. */
    private static String pathSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = IndexBootstrap.class.getResourceAsStream(name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled " + name, e);
        }
    }
}
