package io.vedetta.agent.scrape;

import io.vedetta.agent.config.ScrapeProtocol;
import io.vedetta.agent.metrics.exposition.DeclaredLengthBody;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * A pod's metrics endpoint over HTTP(S), asked as Prometheus asks: the {@code Accept} header of the configured
 * protocols in order of preference, gzip accepted, {@code X-Prometheus-Scrape-Timeout-Seconds} sent. The format
 * comes from the response's {@code Content-Type} (text when unknown, as Prometheus does). The whole request, body
 * included, is cut at the timeout: the connection is closed under a reader still waiting.
 */
final class HttpExposition implements Exposition {

    private final ScrapeTarget target;
    private final SSLSocketFactory tls;
    private final String accept;
    private final String userAgent;
    private final ScheduledExecutorService watchdog;
    /**
     * The URL and the timeout header of the last scrape, kept: formatting them (a regex, a {@code String.format})
     * for every scrape was 5% of the agent's CPU in {@code scripts/bench remote-write}.
     */
    private URL url;
    private long headerTimeoutMillis = -1;
    private String timeoutHeader;

    HttpExposition(ScrapeTarget target, SSLSocketFactory tls, List<ScrapeProtocol> protocols, String userAgent,
            ScheduledExecutorService watchdog) {
        this.target = target;
        this.tls = tls;
        this.accept = accept(protocols);
        this.userAgent = userAgent;
        this.watchdog = watchdog;
    }

    /**
     * The {@code Accept} header Prometheus (2.49, {@code scrape_protocols}) sends for these protocols: each with a
     * weight one tenth lower than the one before, starting at 0.5 for four, then anything at the next weight.
     */
    static String accept(List<ScrapeProtocol> protocols) {
        StringBuilder b = new StringBuilder();
        int weight = ScrapeProtocol.values().length + 1;
        for (ScrapeProtocol p : protocols) {
            b.append(p.mediaRange()).append(";q=0.").append(weight--).append(',');
        }
        return b.append("*/*;q=0.").append(weight).toString();
    }

    @Override
    public Body open(long timeoutMillis) throws IOException {
        if (url == null) {
            url = target.url().toURL();
        }
        HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        if (c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis));
        c.setConnectTimeout(timeout);
        c.setReadTimeout(timeout);
        c.setInstanceFollowRedirects(true);
        c.setUseCaches(false);
        c.setRequestProperty("Accept", accept);
        c.setRequestProperty("Accept-Encoding", "gzip");
        c.setRequestProperty("User-Agent", userAgent);
        c.setRequestProperty("X-Prometheus-Scrape-Timeout-Seconds", timeoutHeader(timeoutMillis));
        AtomicBoolean cut = new AtomicBoolean();
        ScheduledFuture<?> killer = watchdog.schedule(() -> {
            cut.set(true);
            c.disconnect();
        }, timeout, TimeUnit.MILLISECONDS);
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                String text = "";
                try (InputStream error = c.getErrorStream()) {
                    if (error != null) {
                        text = new String(error.readNBytes(200), StandardCharsets.UTF_8).strip();
                    }
                }
                killer.cancel(false);
                c.disconnect();
                throw new ScrapeFailure("http_status", "server returned HTTP status " + status
                        + (text.isEmpty() ? "" : " (" + text + ")"));
            }
            InputStream in = c.getInputStream();
            long declared = c.getContentLengthLong();
            if (declared >= 0) {
                in = new DeclaredLengthBody(in, declared);
            }
            if ("gzip".equalsIgnoreCase(c.getContentEncoding())) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            InputStream body = in;
            return new Body(new Classified(body, cut), format(c.getContentType()), () -> {
                killer.cancel(false);
                body.close();
            });
        } catch (ScrapeFailure e) {
            throw e;
        } catch (IOException e) {
            killer.cancel(false);
            throw classify(e, cut.get());
        }
    }

    private String timeoutHeader(long timeoutMillis) {
        if (timeoutMillis != headerTimeoutMillis) {
            timeoutHeader = String.format(Locale.ROOT, "%.3f", timeoutMillis / 1000.0).replaceAll("\\.?0+$", "");
            headerTimeoutMillis = timeoutMillis;
        }
        return timeoutHeader;
    }

    static Format format(String contentType) {
        if (contentType == null) {
            return Format.PROMETHEUS_TEXT;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/openmetrics-text")) {
            return Format.OPENMETRICS;
        }
        if (type.startsWith("application/vnd.google.protobuf") && type.contains("io.prometheus.client.metricfamily")) {
            return Format.PROTOBUF;
        }
        return Format.PROMETHEUS_TEXT;
    }

    static ScrapeFailure classify(IOException e, boolean cutAtTimeout) {
        if (e instanceof ScrapeFailure f) {
            return f;
        }
        if (cutAtTimeout || e instanceof SocketTimeoutException) {
            return new ScrapeFailure("timeout", "no complete response within the scrape timeout");
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new ScrapeFailure("connect", "cannot connect: " + e.getMessage());
        }
        if (e instanceof EOFException) {
            return new ScrapeFailure("cut_short", e.getMessage());
        }
        return new ScrapeFailure("read", e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** The body, its read failures classified (a read cut by the timeout is a timeout). */
    private static final class Classified extends java.io.FilterInputStream {
        private final AtomicBoolean cut;

        Classified(InputStream in, AtomicBoolean cut) {
            super(in);
            this.cut = cut;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw classify(e, cut.get());
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw classify(e, cut.get());
            }
        }
    }
}
