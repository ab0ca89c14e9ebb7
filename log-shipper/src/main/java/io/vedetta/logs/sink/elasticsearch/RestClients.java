package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the low-level client from the sink's settings: every URL as a node (the client round-robins and
 * fails over between them), credentials read from their files into a default header, TLS verified against
 * the CA file or the JDK trust store. Secrets are never put in an exception message.
 */
final class RestClients {

    private static final Logger LOG = LoggerFactory.getLogger(RestClients.class);

    private RestClients() {
    }

    static RestClient build(ElasticsearchSinkConfig config) throws IOException {
        HttpHost[] hosts = config.urls().stream().map(RestClients::host).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts)
                .setCompressionEnabled(config.gzip())
                .setRequestConfigCallback(r -> r
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setSocketTimeout((int) config.requestTimeout().toMillis()));
        Header auth = authorization(config);
        if (auth != null) {
            builder.setDefaultHeaders(new Header[] {auth});
        }
        SSLContext tls = tls(config);
        if (!config.verifyTls()) {
            LOG.warn("elasticsearch.tls.verify is false: the certificates and host names of {} are NOT checked;"
                    + " anyone on the path can read and change the logs", config.urls());
        }
        builder.setHttpClientConfigCallback(http -> {
            http.setSSLContext(tls);
            if (!config.verifyTls()) {
                http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            // Credentials go in a default header on every request, so the client never answers a challenge; its
            // auth cache only cost a deserialised copy of a scheme (ObjectInputStream) per request.
            http.disableAuthCaching();
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

    private static Header authorization(ElasticsearchSinkConfig config) throws IOException {
        if (config.username().isPresent()) {
            String password = secret(config.passwordFile().orElseThrow(), "elasticsearch.passwordFile");
            String token = Base64.getEncoder().encodeToString(
                    (config.username().get() + ":" + password).getBytes(StandardCharsets.UTF_8));
            return new BasicHeader("Authorization", "Basic " + token);
        }
        if (config.apiKeyFile().isPresent()) {
            return new BasicHeader("Authorization", "ApiKey " + secret(config.apiKeyFile().get(),
                    "elasticsearch.apiKeyFile"));
        }
        return null;
    }

    /** The file's content without the trailing newline editors and Secrets add. */
    private static String secret(Path file, String setting) throws IOException {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // The message names the file only: the exception types of the JDK never hold file content.
            throw new IOException(setting + ": cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (value.isEmpty()) {
            throw new IOException(setting + ": " + file + " is empty");
        }
        return value;
    }

    private static SSLContext tls(ElasticsearchSinkConfig config) throws IOException {
        try {
            if (!config.verifyTls()) {
                return TlsContexts.trustingAnything();
            }
            if (config.caFile().isPresent()) {
                return TlsContexts.trusting(config.caFile().get());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("elasticsearch.tls: cannot set up TLS: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("elasticsearch.tls.caFile: " + e.getMessage(), e);
        }
    }
}
