package io.vedetta.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.concurrent.ExecutorService;

/**
 * {@code /metrics}: client_java's registry scrape ({@code name[]} filters included), its content negotiation
 * ({@link ExpositionFormats#findWriter}) and its writers, with the body streamed to the scraper as it is written,
 * gzipped at the fastest level when asked, on another thread while the writer goes on ({@link PipelinedGzip}).
 *
 * <p>client_java's {@link PrometheusScrapeHandler} writes an uncompressed body into a new byte array first (to send
 * its length), which on a full node is a 10 MiB array per scrape, copied again whenever the body outgrows the last
 * one (text after protobuf), and held across the write, so a young collection during the scrape copies or promotes
 * it; the scraper reads nothing until the whole body is written. It also gzips at the default level, which on a
 * full node cost more than writing the body. Requests for its debug output ({@code ?debug=}) still go to it.
 */
final class MetricsHandler implements HttpHandler {

    private final PrometheusRegistry registry;
    private final ExecutorService compressors;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final PrometheusScrapeHandler debug;

    /** {@code compressors} runs the compression of gzipped responses, one task per response in flight. */
    MetricsHandler(PrometheusRegistry registry, ExecutorService compressors) {
        this.registry = registry;
        this.compressors = compressors;
        this.debug = new PrometheusScrapeHandler(registry);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        HttpExchangeAdapter adapter = new HttpExchangeAdapter(exchange);
        PrometheusHttpRequest request = adapter.getRequest();
        if (request.getParameter("debug") != null) {
            debug.handleRequest(adapter);
            return;
        }
        try {
            String[] names = request.getParameterValues("name[]");
            MetricSnapshots snapshots = names == null || names.length == 0 ? registry.scrape(request)
                    : registry.scrape(MetricNameFilter.builder().nameMustBeEqualTo(names).build(), request);
            String accept = request.getHeader("Accept");
            ExpositionFormatWriter writer = formats.findWriter(accept);
            PrometheusHttpResponse response = adapter.getResponse();
            response.setHeader("Content-Type", writer.getContentType());
            boolean gzip = acceptsGzip(request);
            if (gzip) {
                response.setHeader("Content-Encoding", "gzip");
            }
            if ("HEAD".equals(request.getMethod())) {
                response.sendHeadersAndGetBody(200, -1);
                return;
            }
            OutputStream chunked = response.sendHeadersAndGetBody(200, 0);
            try (OutputStream body = gzip ? new PipelinedGzip(chunked, compressors) : chunked) {
                writer.write(body, snapshots, EscapingScheme.fromAcceptHeader(accept));
            }
        } catch (IOException e) {
            adapter.handleException(e);
        } catch (RuntimeException e) {
            adapter.handleException(e);
        } finally {
            adapter.close();
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
