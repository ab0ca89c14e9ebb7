package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.secrets.ReloadingTrustManager;
import io.vedetta.secrets.Rereads;
import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.util.PublicSuffixMatcher;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the low-level client from the sink's settings: every URL as a node (the client round-robins and
 * fails over between them), the credentials put on every request ({@link Credentials}), TLS verified against
 * the CA file (read again when it changes) or the JDK trust store. Secrets are never put in an exception message.
 */
final class RestClients {

    private static final Logger LOG = LoggerFactory.getLogger(RestClients.class);
    private static final PublicSuffixMatcher UNUSED_SUFFIXES = new PublicSuffixMatcher(List.of(), List.of());

    private RestClients() {
    }

    static RestClient build(ElasticsearchSinkConfig config, Credentials credentials, Rereads rereads)
            throws IOException {
        HttpHost[] hosts = config.urls().stream().map(RestClients::host).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts)
                .setCompressionEnabled(config.gzip())
                .setRequestConfigCallback(r -> r
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setSocketTimeout((int) config.requestTimeout().toMillis()));
        SSLContext tls = tls(config, rereads);
        if (!config.verifyTls()) {
            LOG.warn("elasticsearch.tls.verify is false: the certificates and host names of {} are NOT checked;"
                    + " anyone on the path can read and change the logs", config.urls());
        }
        List<URI> plain = config.urls().stream().filter(url -> "http".equals(url.getScheme())).toList();
        if (credentials.present() && !plain.isEmpty()) {
            LOG.warn("{} goes to {} over plain HTTP: anyone on the path can read it and write to Elasticsearch"
                    + " with it; use https:// URLs", credentials.describe(), plain);
        }
        builder.setHttpClientConfigCallback(http -> {
            http.setSSLContext(tls);
            http.setSSLHostnameVerifier(config.verifyTls() ? new PublicSuffixHostnameVerifier()
                    : NoopHostnameVerifier.INSTANCE);
            // The client's builder loads the public-suffix list (1 MiB of heap for the agent's life) for its cookie
            // specs and its default host name verifier, whatever the URLs' scheme. Elasticsearch sets no cookies the
            // agent needs (credentials go on every request), and the verifier above loads the list at the first TLS
            // handshake only, so an agent sending over plain HTTP (a node-local or in-cluster Elasticsearch) never
            // holds it. The matcher given here is then used by nothing.
            http.disableCookieManagement();
            http.setPublicSuffixMatcher(UNUSED_SUFFIXES);
            // Credentials go on every request from the files as they are now, so the client never answers a
            // challenge; its auth cache only cost a deserialised copy of a scheme (ObjectInputStream) per request.
            http.disableAuthCaching();
            http.addInterceptorLast(credentials);
            http.setMaxConnPerRoute(config.maxInFlight() + 2);
            http.setMaxConnTotal((config.maxInFlight() + 2) * hosts.length);
            return http;
        });
        return builder.build();
    }

    private static HttpHost host(URI url) {
        return new HttpHost(url.getHost(), url.getPort() != -1 ? url.getPort()
                : "https".equals(url.getScheme()) ? 443 : 9200, url.getScheme());
    }

    private static SSLContext tls(ElasticsearchSinkConfig config, Rereads rereads) throws IOException {
        try {
            if (!config.verifyTls()) {
                return TlsContexts.trustingAnything();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            if (config.caFile().isPresent()) {
                context.init(null, new TrustManager[] {
                    new ReloadingTrustManager(config.caFile().get(), "elasticsearch.tls.caFile", rereads)}, null);
            } else {
                context.init(null, null, null);
            }
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("elasticsearch.tls: cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
