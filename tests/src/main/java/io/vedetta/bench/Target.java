package io.vedetta.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * One scrape target of the benchmark, asked for one format as Prometheus asks for it, timed from sending the
 * request to the last byte of the response. Each target keeps its connection open between scrapes, as
 * Prometheus does.
 */
final class Target {

    static final String TEXT = "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.9,text/plain;version=0.0.4;q=0.5";

    private final String name;
    private final HttpRequest request;
    private final boolean gzip;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Latencies latencies = new Latencies();

    Target(String name, String url, String accept, boolean gzip) {
        this.name = name;
        this.gzip = gzip;
        this.request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", accept).header("Accept-Encoding", gzip ? "gzip" : "identity").build();
    }

    String name() {
        return name;
    }

    Latencies latencies() {
        return latencies;
    }

    /** One timed scrape, recorded unless {@code warmUp}; returns the decompressed body. */
    byte[] scrape(boolean warmUp) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": scrape of " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + ": " + request.uri() + " answered " + response.statusCode());
        }
        byte[] body = decoded(response);
        if (!warmUp) {
            latencies.add(nanos, response.body().length, body.length);
        }
        return body;
    }

    private byte[] decoded(HttpResponse<byte[]> response) {
        boolean compressed = response.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase)
                .orElse(false);
        if (gzip != compressed) {
            throw new IllegalStateException(name + ": asked " + (gzip ? "gzip" : "identity") + ", got "
                    + response.headers().firstValue("Content-Encoding").orElse("identity"));
        }
        if (!compressed) {
            return response.body();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": bad gzip body", e);
        }
    }
}
