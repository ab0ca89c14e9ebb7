package io.vedetta.logs.sink.elasticsearch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.secrets.Rereads;
import io.vedetta.time.Backoff;
import java.io.IOException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the index templates and ILM policy once and returns: the agent's {@code --bootstrap-elasticsearch} mode,
 * which the chart's bootstrap Job runs with credentials allowed to manage templates, so that the agents' own
 * credentials need only write documents ({@code elasticsearch.template.install: false}). Elasticsearch being
 * unreachable or answering 5xx or 429 is waited out with the configured backoff (the Job's deadline bounds it); a
 * refusal ends it at once.
 */
public final class TemplateInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateInstaller.class);

    private TemplateInstaller() {
    }

    /** Returns once installed; throws {@link IOException} when Elasticsearch refuses the templates or a credential. */
    public static void install(ElasticsearchSinkConfig config) throws IOException, InterruptedException {
        ElasticsearchSinkMetrics metrics = new ElasticsearchSinkMetrics(new SimpleMeterRegistry());
        Rereads changes = metrics.secretRereads();
        Credentials credentials = Credentials.from(config, changes);
        Backoff backoff = Backoff.jittered(config.retryInitial(), config.retryMax());
        try (RestClient client = RestClients.build(config, credentials, changes)) {
            IndexBootstrap bootstrap = new IndexBootstrap(config, client, credentials, metrics);
            for (int attempt = 0; ; attempt++) {
                try {
                    bootstrap.install();
                    return;
                } catch (IndexBootstrap.Refused e) {
                    throw new IOException(e.getMessage(), e);
                } catch (IOException | RuntimeException e) {
                    long wait = backoff.delayMillis(attempt);
                    LOG.warn("Elasticsearch at {} cannot take the templates yet ({}); trying again in {} ms",
                            config.urls(), e.getMessage(), wait);
                    Thread.sleep(wait);
                }
            }
        }
    }
}
