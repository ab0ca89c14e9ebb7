package io.vedetta.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics} through client_java's scrape handler (content negotiation, {@code name[]} filters, its
 * writers), with gzip at the fastest level. client_java compresses at the default level, which on a full node's
 * 10 MiB exposition cost more than writing it (measured by {@code scripts/bench metrics}); the fastest level takes a
 * fraction of that for a body about a third larger. Prometheus asks for gzip on every scrape.
 */
final class FastGzipMetricsHandler implements HttpHandler {

    private static final String ACCEPT_ENCODING = "Accept-Encoding";

    private final PrometheusScrapeHandler scrape;

    FastGzipMetricsHandler(PrometheusRegistry registry) {
        this.scrape = new PrometheusScrapeHandler(registry);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        HttpExchangeAdapter adapter = new HttpExchangeAdapter(exchange);
        scrape.handleRequest(new Exchange(adapter, acceptsGzip(adapter.getRequest())));
    }

    private static boolean acceptsGzip(PrometheusHttpRequest request) {
        Enumeration<String> values = request.getHeaders(ACCEPT_ENCODING);
        while (values != null && values.hasMoreElements()) {
            for (String encoding : values.nextElement().split(",")) {
                if (encoding.trim().toLowerCase().startsWith("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The exchange as client_java sees it: no gzip asked for, and a body compressed here when it was. */
    private record Exchange(HttpExchangeAdapter adapter, boolean gzip) implements PrometheusHttpExchange {

        @Override
        public PrometheusHttpRequest getRequest() {
            PrometheusHttpRequest request = adapter.getRequest();
            return new PrometheusHttpRequest() {
                @Override
                public String getQueryString() {
                    return request.getQueryString();
                }

                @Override
                public Enumeration<String> getHeaders(String name) {
                    return ACCEPT_ENCODING.equalsIgnoreCase(name) ? Collections.emptyEnumeration()
                            : request.getHeaders(name);
                }

                @Override
                public String getMethod() {
                    return request.getMethod();
                }

                @Override
                public String getRequestPath() {
                    return request.getRequestPath();
                }
            };
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            PrometheusHttpResponse response = adapter.getResponse();
            return new PrometheusHttpResponse() {
                /** The length of the uncompressed body is not the length sent: a compressed body goes chunked. */
                @Override
                public void setHeader(String name, String value) {
                    if (!(gzip && "Content-Length".equalsIgnoreCase(name))) {
                        response.setHeader(name, value);
                    }
                }

                @Override
                public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) throws IOException {
                    if (!gzip || contentLength < 0) {
                        return response.sendHeadersAndGetBody(statusCode, contentLength);
                    }
                    response.setHeader("Content-Encoding", "gzip");
                    return new GZIPOutputStream(response.sendHeadersAndGetBody(statusCode, 0), 1 << 16) {
                        {
                            def.setLevel(Deflater.BEST_SPEED);
                        }
                    };
                }
            };
        }

        @Override
        public void handleException(IOException e) throws IOException {
            adapter.handleException(e);
        }

        @Override
        public void handleException(RuntimeException e) {
            adapter.handleException(e);
        }

        @Override
        public void close() {
            adapter.close();
        }
    }
}
