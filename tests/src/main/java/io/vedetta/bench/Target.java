package io.vedetta.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.util.zip.GZIPInputStream;

/**
 * One scrape target of the benchmark, asked for one format as Prometheus asks for it, timed from sending the
 * request to the last byte of the response. Connections are kept open between scrapes, as Prometheus keeps them.
 *
 * <p>Read with {@link HttpURLConnection}, a blocking read into one array: the JDK's {@code HttpClient} copies a
 * response through a new 16 KiB buffer per read on its selector thread, about 25-35 ms of CPU for a full node's
 * 10 MiB (against ~5 ms), taken from the two CPUs the agent under test runs on while it writes. Prometheus reads a
 * scrape with a few milliseconds of CPU, usually on another machine.
 */
final class Target {

    static final String TEXT = "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.9,text/plain;version=0.0.4;q=0.5";

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final String name;
    private final URL url;
    private final String accept;
    private final boolean gzip;
    private final Latencies latencies = new Latencies();
    private double agentCpuSeconds;

    Target(String name, String url, String accept, boolean gzip) {
        this.name = name;
        this.url = toUrl(url);
        this.accept = accept;
        this.gzip = gzip;
    }

    private static URL toUrl(String url) {
        try {
            return URI.create(url).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(url, e);
        }
    }

    String name() {
        return name;
    }

    boolean gzip() {
        return gzip;
    }

    Latencies latencies() {
        return latencies;
    }

    /** CPU seconds the agent used while one of this target's measured scrapes was in flight. */
    void addAgentCpu(double seconds) {
        agentCpuSeconds += seconds;
    }

    /**
     * The agent's CPU per measured scrape of this target: read in clock ticks (10 ms) before and after each one,
     * so a single scrape's figure is coarse but the sum over a run is not; it includes whatever else the agent did
     * meanwhile (its informer, a collection of the garbage of an earlier scrape).
     */
    double agentCpuMillisPerScrape() {
        return latencies.count() == 0 ? 0 : 1000 * agentCpuSeconds / latencies.count();
    }

    /** One timed scrape, recorded unless {@code warmUp}; returns the decompressed body. */
    byte[] scrape(boolean warmUp) {
        long start = System.nanoTime();
        byte[] wire;
        String encoding;
        try {
            HttpURLConnection connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setRequestProperty("Accept", accept);
            connection.setRequestProperty("Accept-Encoding", gzip ? "gzip" : "identity");
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IllegalStateException(name + ": " + url + " answered " + status);
            }
            encoding = connection.getContentEncoding();
            try (InputStream in = connection.getInputStream()) {
                wire = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": scrape of " + url + " failed", e);
        }
        long nanos = System.nanoTime() - start;
        byte[] body = decoded(wire, encoding);
        if (!warmUp) {
            latencies.add(nanos, wire.length, body.length);
        }
        return body;
    }

    private byte[] decoded(byte[] wire, String encoding) {
        boolean compressed = "gzip".equalsIgnoreCase(encoding);
        if (gzip != compressed) {
            throw new IllegalStateException(name + ": asked " + (gzip ? "gzip" : "identity") + ", got "
                    + (encoding == null ? "identity" : encoding));
        }
        if (!compressed) {
            return wire;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": bad gzip body", e);
        }
    }
}
