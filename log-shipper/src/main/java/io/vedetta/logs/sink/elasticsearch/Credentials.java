package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.secrets.Rereads;
import io.vedetta.secrets.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.http.HttpRequest;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.protocol.HttpContext;

/**
 * The Elasticsearch credentials, basic auth or an API key, read from their files and put on every request by the
 * HTTP client (bulk, templates, the typed client's calls alike). The files are read again when they change, so a
 * rotated Secret is used without a restart; {@link #reload()} reads them whatever their attributes say, for a 401.
 */
final class Credentials implements HttpRequestInterceptor {

    private final String username;
    private final SecretFile secret;
    private String lastSecret;
    private String lastHeader;

    private Credentials(String username, SecretFile secret) {
        this.username = username;
        this.secret = secret;
    }

    /** The configured credentials, read now (a file that cannot be read fails the start, naming its setting). */
    static Credentials from(ElasticsearchSinkConfig config, Rereads rereads) throws IOException {
        if (config.username().isPresent()) {
            return new Credentials(config.username().get(),
                    new SecretFile(config.passwordFile().orElseThrow(), "elasticsearch.passwordFile", rereads));
        }
        if (config.apiKeyFile().isPresent()) {
            return new Credentials(null, new SecretFile(config.apiKeyFile().get(), "elasticsearch.apiKeyFile", rereads));
        }
        return new Credentials(null, null);
    }

    boolean present() {
        return secret != null;
    }

    /** What the credentials are, for log lines: never their value. */
    String describe() {
        return username != null ? "basic auth of user " + username + " (elasticsearch.passwordFile)"
                : "the API key of elasticsearch.apiKeyFile";
    }

    /** Reads the file again; whether the secret changed. */
    boolean reload() {
        return secret != null && secret.reload();
    }

    @Override
    public void process(HttpRequest request, HttpContext context) {
        if (secret != null) {
            request.setHeader("Authorization", header());
        }
    }

    private synchronized String header() {
        String value = secret.value();
        if (!value.equals(lastSecret)) {
            lastSecret = value;
            lastHeader = username == null ? "ApiKey " + value : "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + value).getBytes(StandardCharsets.UTF_8));
        }
        return lastHeader;
    }
}
