package io.vedetta.agent.metrics.kubelet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vedetta.agent.config.ConfigException;
import io.vedetta.agent.config.KubeletConfig;
import io.vedetta.agent.metrics.ErrorReason;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.agent.metrics.SourceException;
import io.vedetta.agent.metrics.exposition.DeclaredLengthBody;
import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KubeletClient} over HTTPS with the JDK's {@link HttpsURLConnection}: TLS verified against the configured
 * CA, the service-account token as bearer (re-read when it rotates), text format 0.0.4 asked for, connections kept
 * alive between scrapes.
 *
 * <p>gzip is asked for only through the API server's node proxy, where the body crosses the network twice. The
 * node's own kubelet is asked for an uncompressed body: it is on the same host, and a kubelet compresses what it is
 * asked to (a full node's 9.67 MiB cAdvisor response is tens of milliseconds of the kubelet's CPU at Go's default
 * level), which the agent then spent about 15-20 ms of its own decompressing, per scrape (measured on this kind of
 * machine by a one-JVM harness: the JDK's zlib inflates ~8.5 MiB of exposition in 13-19 ms). A gzipped body is
 * still read when a kubelet sends one unasked. Not the JDK's {@code java.net.http.HttpClient}: it reads a response on
 * its selector thread into a new 16 KiB buffer per read and hands each to the reading thread, which for a full
 * node's 9.67 MiB cAdvisor response cost about 36 ms of CPU and 10 MiB of garbage per fetch, against about 7 ms
 * and none for a blocking read into the parser's own buffer (one warmed JVM, measured for
 * {@code scripts/bench metrics}).
 */
public final class HttpsKubeletClient implements KubeletClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsKubeletClient.class);
    private static final String ACCEPT = "text/plain;version=0.0.4;q=1,application/json;q=0.9,*/*;q=0.1";

    private final String base;
    private final SSLSocketFactory tls;
    private final Optional<ServiceAccountToken> token;
    private final int timeoutMillis;
    private final String acceptEncoding;

    HttpsKubeletClient(URI base, SSLContext tls, Optional<ServiceAccountToken> token, Duration timeout,
            boolean acceptGzip) {
        this.base = base.toString().replaceAll("/+$", "");
        this.tls = tls.getSocketFactory();
        this.token = token;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        this.acceptEncoding = acceptGzip ? "gzip" : "identity";
    }

    /**
     * Builds the client from {@code metrics.kubelet}; {@code timeout} bounds connecting and each wait for data
     * (use the longest timeout of the kubelet sources). An unreadable CA bundle is a configuration error naming
     * the setting. Later changes of the TLS files, and failures to read them again, are counted in {@code errors}.
     */
    public static HttpsKubeletClient create(KubeletConfig config, Duration timeout, MetricsErrors errors) {
        SSLContext tls;
        try {
            if (config.insecureSkipVerify()) {
                LOG.warn("TLS verification of the kubelet at {} is OFF (metrics.kubelet.insecureSkipVerify: true):"
                        + " anyone on the path can read the bearer token and forge metrics", config.baseUrl());
                tls = TlsContexts.trustingAnything();
            } else {
                tls = TlsContexts.trusting(KubeletTrust.of(config.caFile(), config.servingCertFile(),
                        new KubeletTlsFiles(errors)));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("metrics.kubelet.caFile", "cannot load the CA bundle "
                    + config.caFile().map(Object::toString).orElse("") + ": " + e.getMessage(),
                    "point metrics.kubelet.caFile at a readable PEM file with the CA that signed the kubelet's"
                            + " serving certificate");
        }
        Optional<ServiceAccountToken> token = config.tokenFile()
                .map(file -> new ServiceAccountToken(file, config.tokenRefresh()));
        boolean plain = "http".equals(config.baseUrl().getScheme());
        LOG.info("kubelet client for {} ({}, token {})", config.baseUrl(),
                plain ? "plain HTTP" : config.insecureSkipVerify() ? "TLS NOT verified" : "TLS verified against "
                        + config.caFile().map(Object::toString).orElse("the JDK trust store")
                        + config.servingCertFile().map(f -> " or the node's own " + f).orElse(""),
                token.map(t -> "from " + t.file()).orElse("none"));
        if (plain && token.isPresent()) {
            LOG.warn("the bearer token of {} (metrics.kubelet.tokenFile) goes to {} over plain HTTP: anyone on the"
                    + " path can read it and act with the service account's rights; use an https:// URL",
                    token.get().file(), config.baseUrl());
        }
        return new HttpsKubeletClient(config.baseUrl(), tls, token, timeout, config.throughApiServerProxy());
    }

    @Override
    public <T> T get(String path, BodyReader<T> reader) throws SourceException {
        URI uri = URI.create(base + path);
        String authorization = null;
        if (token.isPresent()) {
            try {
                authorization = "Bearer " + token.get().get();
            } catch (IOException e) {
                throw new SourceException(ErrorReason.TOKEN, "cannot read the bearer token from " + token.get().file()
                        + " (metrics.kubelet.tokenFile): " + e.getMessage(), e);
            }
        }
        HttpURLConnection connection = send(uri, authorization);
        try (InputStream body = decoded(uri, connection)) {
            int status = connection.getResponseCode();
            if (status != 200) {
                throw statusFailure(uri, status, body);
            }
            try {
                return reader.read(body);
            } catch (JsonEOFException e) {
                throw new SourceException(ErrorReason.READ, "the body of " + uri + " ended before its JSON did"
                        + at(e.getLocation()) + ": the response was cut short", e);
            } catch (JsonProcessingException e) {
                throw new SourceException(ErrorReason.PARSE, uri + " returned a body that cannot be parsed"
                        + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
            }
        } catch (IOException e) {
            throw new SourceException(ErrorReason.READ, "reading the response of " + uri + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Connects (TCP and TLS), sends the request and waits for the response's status line and headers. A connection
     * that breaks after it was made, before the response came, is a failed read: the kubelet took the request.
     */
    private HttpURLConnection send(URI uri, String authorization) throws SourceException {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", ACCEPT);
            connection.setRequestProperty("Accept-Encoding", acceptEncoding);
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            connection.connect();
        } catch (ConnectException e) {
            throw new SourceException(ErrorReason.CONNECT, "cannot connect to " + uri + ": " + rootMessage(e), e);
        } catch (IOException e) {
            throw failure(uri, e, ErrorReason.CONNECT, "request to " + uri + " failed: ");
        }
        try {
            connection.getResponseCode();
            return connection;
        } catch (IOException e) {
            throw failure(uri, e, ErrorReason.READ, "the connection to " + uri + " broke before the response came: ");
        }
    }

    /** A timeout or TLS failure as such, any other failure as {@code otherwise} with its text. */
    private SourceException failure(URI uri, IOException e, ErrorReason otherwise, String text) {
        if (e instanceof SocketTimeoutException) {
            return new SourceException(ErrorReason.REQUEST_TIMEOUT, "no response from " + uri + " within "
                    + timeoutMillis + "ms", e);
        }
        if (e instanceof SSLException) {
            return new SourceException(ErrorReason.TLS, "TLS with " + uri + " failed: " + rootMessage(e) + "; check"
                    + " that metrics.kubelet.caFile holds the CA that signed the kubelet's serving certificate and"
                    + " that the certificate names the address used, or that metrics.kubelet.servingCertFile is the"
                    + " node's own kubelet.crt", e);
        }
        Throwable root = rootCause(e);
        if (root instanceof SSLException || root instanceof java.security.cert.CertificateException) {
            return new SourceException(ErrorReason.TLS, "TLS with " + uri + " failed: " + root.getMessage()
                    + "; check metrics.kubelet.caFile and metrics.kubelet.servingCertFile", e);
        }
        return new SourceException(otherwise, text + rootMessage(e), e);
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * The body, decompressed when it came gzipped; an error status's body is read from the error stream. A body
     * that ends before its {@code Content-Length} fails as it ends ({@link DeclaredLengthBody}).
     */
    private static InputStream decoded(URI uri, HttpURLConnection connection) throws SourceException {
        try {
            boolean success = connection.getResponseCode() < 400;
            InputStream raw = success ? connection.getInputStream() : connection.getErrorStream();
            if (raw == null) {
                return InputStream.nullInputStream();
            }
            long declared = connection.getContentLengthLong();
            if (success && declared >= 0) {
                raw = new DeclaredLengthBody(raw, declared);
            }
            return "gzip".equalsIgnoreCase(connection.getContentEncoding()) ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            throw new SourceException(ErrorReason.READ, "the body of " + uri + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static SourceException statusFailure(URI uri, int status, InputStream body) throws IOException {
        String text = new String(body.readNBytes(300), StandardCharsets.UTF_8).strip();
        if (status == 401 || status == 403) {
            return new SourceException(ErrorReason.UNAUTHORIZED, uri + " answered " + status + " (" + text + "); the service"
                    + " account needs get on nodes/metrics, nodes/stats and nodes/proxy, and a valid token in"
                    + " metrics.kubelet.tokenFile");
        }
        return new SourceException(ErrorReason.HTTP_STATUS, uri + " answered " + status + ": " + text);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = rootCause(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
