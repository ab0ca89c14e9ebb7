package io.vedetta.agent.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * An application serving its metrics over HTTP for scrape tests: a client_java registry written by client_java's
 * own writers in the format the scraper's {@code Accept} asks for (as real applications answer), or a body the test
 * sets, or misbehaviour (hanging, a body that never ends, a body shorter than its length). Over https when given a
 * TLS context.
 */
final class TestApp implements AutoCloseable {

    enum Mode { REGISTRY, RAW, HANG, ENDLESS }

    final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpServer server;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final CountDownLatch released = new CountDownLatch(1);
    volatile Mode mode = Mode.REGISTRY;
    volatile String raw = "";
    volatile String rawContentType = "text/plain; version=0.0.4";
    volatile String lastAccept;

    TestApp() throws IOException {
        this(null, 0);
    }

    /** Over https with {@code tls} when it is not null, on {@code port} (0: any free one). */
    TestApp(SSLContext tls, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/metrics", this::handle);
        server.start();
    }

    URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    private void handle(HttpExchange exchange) throws IOException {
        lastAccept = exchange.getRequestHeaders().getFirst("Accept");
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            switch (mode) {
                case REGISTRY -> {
                    ExpositionFormatWriter writer = formats.findWriter(lastAccept);
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    writer.write(body, registry.scrape());
                    exchange.getResponseHeaders().add("Content-Type", writer.getContentType());
                    exchange.sendResponseHeaders(200, body.size());
                    body.writeTo(out);
                }
                case RAW -> {
                    byte[] body = raw.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", rawContentType);
                    exchange.sendResponseHeaders(200, body.length);
                    out.write(body);
                }
                case HANG -> released.await();
                case ENDLESS -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                    exchange.sendResponseHeaders(200, 0);
                    byte[] line = "filler_series{a=\"0123456789012345678901234567890123456789\"} 1\n"
                            .getBytes(StandardCharsets.UTF_8);
                    for (long written = 0; written < (100L << 20); written += line.length) {
                        out.write(line);
                    }
                }
                default -> throw new IllegalStateException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The scraper hung up (timeout, body limit), or the cut was made: nothing to do.
        }
    }

    /**
     * A server on another port that answers every request with a body shorter than its {@code Content-Length}, then
     * closes the connection, as a proxy that gives up does.
     */
    static URI cutShortServer(java.util.List<AutoCloseable> closeables) throws IOException {
        java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        closeables.add(socket);
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try (java.net.Socket s = socket.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    byte[] request = new byte[8192];
                    in.read(request);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                            + "Content-Length: 100\r\n\r\nup 1\nother 2\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed by the test, or the client hung up
                }
            }
        }, "cut-short-server");
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/metrics");
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
