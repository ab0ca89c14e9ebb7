package io.vedetta.agent.remotewrite;

import io.vedetta.agent.config.ConfigException;
import io.vedetta.agent.config.RemoteWriteConfig.Endpoint;
import io.vedetta.secrets.ReloadingTrustManager;
import io.vedetta.secrets.Rereads;
import io.vedetta.secrets.SecretFile;
import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts snappy-compressed {@code WriteRequest}s to one endpoint as remote-write 1.0 asks: {@code Content-Encoding:
 * snappy}, {@code Content-Type: application/x-protobuf}, {@code X-Prometheus-Remote-Write-Version: 0.1.0}, the
 * configured headers and credentials (read from files, re-read when they change and once more when the receiver answers
 * 401 or 403, never logged), TLS verified against the configured CA (re-read when it changes) or the JDK's.
 * Connections are kept alive by the JDK between requests.
 */
final class RemoteWriteClient {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteClient.class);

    /** What one request came back with. {@code retryAfterMillis} is -1 without a usable {@code Retry-After}. */
    record Outcome(int status, long retryAfterMillis, String message) {

        boolean succeeded() {
            return status / 100 == 2;
        }
    }

    private final Endpoint endpoint;
    private final SSLSocketFactory tls;
    private final Optional<SecretFile> usernameFile;
    private final Optional<SecretFile> password;
    private final Optional<SecretFile> bearer;
    private final int timeoutMillis;
    private final String userAgent;
    private final Clock clock;

    /**
     * {@code userAgent} is e.g. {@code Vedetta/0.1.0}; {@code rereads} hears of every changed or unreadable credential
     * or CA file. A file that cannot be read now is a {@link ConfigException} naming its setting.
     */
    RemoteWriteClient(Endpoint endpoint, String userAgent, Clock clock, Rereads rereads) {
        this.endpoint = endpoint;
        this.userAgent = userAgent;
        this.clock = clock;
        String setting = "remoteWrite.endpoints[" + endpoint.name() + "].";
        this.tls = tls(endpoint, setting + "tls.caFile", rereads);
        this.usernameFile = endpoint.usernameFile().map(f -> secret(f, setting + "basicAuth.usernameFile", rereads));
        this.password = endpoint.passwordFile().map(f -> secret(f, setting + "basicAuth.passwordFile", rereads));
        this.bearer = endpoint.bearerTokenFile().map(f -> secret(f, setting + "bearerTokenFile", rereads));
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, endpoint.timeout().toMillis());
        if (endpoint.url().getScheme().equals("http") && (password.isPresent() || bearer.isPresent())) {
            LOG.warn("the credentials of remote_write endpoint {} ({}) go to {} over plain HTTP: anyone on the path"
                    + " can read them; use an https:// URL", endpoint.name(),
                    bearer.isPresent() ? setting + "bearerTokenFile" : setting + "basicAuth.passwordFile",
                    endpoint.url());
        }
    }

    private static SecretFile secret(java.nio.file.Path file, String setting, Rereads rereads) {
        try {
            return new SecretFile(file, setting, rereads);
        } catch (IOException e) {
            throw new ConfigException(setting, e.getMessage(), "point it at a readable, non-empty file (a mounted"
                    + " Secret's key)");
        }
    }

    private static SSLSocketFactory tls(Endpoint endpoint, String setting, Rereads rereads) {
        if (!endpoint.url().getScheme().equals("https")) {
            return null;
        }
        try {
            if (endpoint.insecureSkipVerify()) {
                LOG.warn("TLS verification of the remote_write endpoint {} is OFF (tls.insecureSkipVerify: true):"
                        + " anyone on the path can read the credentials and the samples", endpoint.name());
                return TlsContexts.trustingAnything().getSocketFactory();
            }
            if (endpoint.caFile().isPresent()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {
                    new ReloadingTrustManager(endpoint.caFile().get(), setting, rereads)}, null);
                return context.getSocketFactory();
            }
            return SSLContext.getDefault().getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(setting, "cannot load the CA bundle: " + e.getMessage(),
                    "point it at a readable PEM file with the CA of the receiver");
        }
    }

    /**
     * Reads the credential files again whatever their attributes say, after the receiver refused them (401, 403):
     * whether one changed, so the request is worth sending again.
     */
    boolean credentialsChanged() {
        return Stream.of(usernameFile, password, bearer).flatMap(Optional::stream)
                .map(SecretFile::reload).reduce(false, Boolean::logicalOr);
    }

    /**
     * Sends one compressed request. A status is an {@link Outcome}; a request that got no status (connection
     * refused, reset, timed out) is an {@link IOException}, which callers retry.
     */
    Outcome send(byte[] body, int length) throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.url().toURL().openConnection(Proxy.NO_PROXY);
        if (c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setFixedLengthStreamingMode(length);
        c.setRequestProperty("Content-Encoding", "snappy");
        c.setRequestProperty("Content-Type", "application/x-protobuf");
        c.setRequestProperty("X-Prometheus-Remote-Write-Version", "0.1.0");
        c.setRequestProperty("User-Agent", userAgent);
        endpoint.headers().forEach(c::setRequestProperty);
        authorization().ifPresent(a -> c.setRequestProperty("Authorization", a));
        try (OutputStream out = c.getOutputStream()) {
            out.write(body, 0, length);
        }
        int status = c.getResponseCode();
        String message;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            message = in == null ? "" : new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return new Outcome(status, retryAfter(c.getHeaderField("Retry-After")), message);
    }

    private Optional<String> authorization() {
        if (bearer.isPresent()) {
            return Optional.of("Bearer " + bearer.get().value());
        }
        if (password.isPresent()) {
            String user = usernameFile.isPresent() ? usernameFile.get().value() : endpoint.username().orElse("");
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password.get().value()).getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    /** {@code Retry-After} in seconds or as an HTTP date; -1 when absent, unreadable or past. */
    long retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? -1 : seconds * 1000;
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                long millis = at - clock.millis();
                return millis > 0 ? millis : -1;
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }
}
