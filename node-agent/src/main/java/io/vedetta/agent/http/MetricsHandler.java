package io.vedetta.agent.http;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.vedetta.agent.metrics.ExpositionWriter;
import io.vedetta.agent.metrics.RequestedNames;
import io.vedetta.agent.metrics.ServedRegistry;
import io.vedetta.agent.metrics.ServedSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;

/**
 * {@code /metrics}: client_java's registry scrape ({@code name[]} filters included) with the kubelet's families
 * passed through as encoded series, client_java's content negotiation ({@link ExpositionFormats#findWriter}), and
 * {@link ExpositionWriter}, which writes client_java's snapshots with its writers and the passed-through families
 * itself. A gzipped body is streamed, compressed at the fastest
 * level on another thread while the writer goes on ({@link PipelinedGzip}); an uncompressed one is written into a
 * buffer kept from one scrape to the next and sent with its length in one piece.
 *
 * <p>client_java's {@link PrometheusScrapeHandler} writes an uncompressed body into a new byte array per scrape: on
 * a full node 10 MiB, copied again whenever the body outgrows the last one (text after protobuf), and live across
 * the write, so that a young collection copies or promotes it. Streaming it instead went through the JDK server's
 * chunked encoding, which writes 4 KiB chunks, a socket write each (measured by {@code scripts/bench metrics --jfr}).
 * It also gzips at the default level, which on a full node cost more than writing the body. Requests for its
 * debug output ({@code ?debug=}) still go to it.
 */
final class MetricsHandler implements GuardedHttpServer.Handler {

    private static final int INITIAL_BUFFER_BYTES = 1 << 16;

    private final ServedRegistry registry;
    private final ExecutorService compressors;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final PrometheusScrapeHandler debug;
    private final Queue<ByteArrayOutputStream> buffers = new ConcurrentLinkedQueue<>();

    /** {@code compressors} runs the compression of gzipped responses, one task per response in flight. */
    MetricsHandler(ServedRegistry registry, ExecutorService compressors) {
        this.registry = registry;
        this.compressors = compressors;
        this.debug = new PrometheusScrapeHandler(registry);
    }

    @Override
    public void handle(Exchange exchange) throws IOException {
        PrometheusHttpRequest request = exchange.getRequest();
        if (request.getParameter("debug") != null) {
            debug.handleRequest(exchange);
            return;
        }
        String accept = request.getHeader("Accept");
        ExpositionFormatWriter writer = formats.findWriter(accept);
        PrometheusHttpResponse response = exchange.getResponse();
        response.setHeader("Content-Type", writer.getContentType());
        boolean gzip = acceptsGzip(request);
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        if ("HEAD".equals(request.getMethod())) {
            // The headers a GET would get, without collecting anything: a HEAD must not cost the kubelet.
            response.sendHeadersAndGetBody(200, -1);
            return;
        }
        String[] names = request.getParameterValues("name[]");
        ServedSeries served = registry.expose(names == null || names.length == 0 ? null
                : new RequestedNames(List.of(names)), request);
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
        if (gzip) {
            try (OutputStream body = new PipelinedGzip(response.sendHeadersAndGetBody(200, 0), compressors)) {
                ExpositionWriter.write(body, served, writer, escaping);
            }
        } else {
            sendBuffered(response, writer, served, escaping);
        }
    }

    /**
     * Writes the body into a pooled buffer, then sends it with its length. The pool holds at most one buffer per
     * scrape that was in flight at once (the HTTP executor's threads), each as large as the largest body it took.
     */
    private void sendBuffered(PrometheusHttpResponse response, ExpositionFormatWriter writer,
            ServedSeries served, EscapingScheme escaping) throws IOException {
        ByteArrayOutputStream buffer = buffers.poll();
        if (buffer == null) {
            buffer = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        }
        try {
            ExpositionWriter.write(buffer, served, writer, escaping);
            try (OutputStream out = response.sendHeadersAndGetBody(200, buffer.size())) {
                buffer.writeTo(out);
            }
        } finally {
            buffer.reset();
            buffers.offer(buffer);
        }
    }

    private static boolean acceptsGzip(PrometheusHttpRequest request) {
        Enumeration<String> values = request.getHeaders("Accept-Encoding");
        while (values != null && values.hasMoreElements()) {
            for (String encoding : values.nextElement().split(",")) {
                if (encoding.trim().toLowerCase().startsWith("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }
}
