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
import io.vedetta.agent.metrics.WrittenFamilies;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * {@code /metrics}: client_java's registry scrape ({@code name[]} filters included) with the kubelet's families
 * passed through as encoded series, client_java's content negotiation ({@link ExpositionFormats#findWriter}), and
 * {@link ExpositionWriter}, which writes client_java's snapshots with its writers and the passed-through families
 * itself. The body is streamed as it is written, chunked: a gzipped one compressed by the agent's own deflate encoder
 * on another thread while the writer goes on ({@link PipelinedGzip}), an uncompressed one as it leaves the writer's
 * buffers. Families served again as the same snapshot (the pod state series while no pod changes) are copied as they
 * were written the last time ({@link WrittenFamilies}).
 *
 * <p>client_java's {@link PrometheusScrapeHandler} writes an uncompressed body into a new byte array per scrape: on
 * a full node 10 MiB, copied again whenever the body outgrows the last one (text after protobuf), and live across
 * the write, so that a young collection copies or promotes it. A buffer kept from one scrape to the next instead
 * held 16 MiB of the old generation between scrapes, for nothing but a {@code Content-Length}, which Prometheus does
 * not need (measured by {@code scripts/bench metrics}: peak RSS). It also gzips with the JDK's zlib at the default
 * level, which on a full node cost more than writing the body (zlib's fastest level still did). Requests for its debug output ({@code ?debug=}) still go to it.
 */
final class MetricsHandler implements GuardedHttpServer.Handler {

    private final ServedRegistry registry;
    private final ExecutorService compressors;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final PrometheusScrapeHandler debug;
    private final WrittenFamilies written = new WrittenFamilies();

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
        OutputStream body = gzip ? new PipelinedGzip(response.sendHeadersAndGetBody(200, 0), compressors)
                : response.sendHeadersAndGetBody(200, 0);
        try {
            ExpositionWriter.write(body, served, writer, escaping, written);
        } catch (IOException | RuntimeException e) {
            // Not closed: closing ends the chunked body (and a gzip stream), and a scraper would take the series
            // written so far for all of them. Left open, the connection closes without the last chunk, and the
            // scrape fails as it should.
            if (body instanceof PipelinedGzip pipelined) {
                pipelined.abandon();
            }
            throw e;
        }
        body.close();
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
