package io.vedetta.logs.sink.elasticsearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A local HTTP server speaking just enough Elasticsearch for the sink: templates are acknowledged, ILM is
 * missing (as on the test node), and each {@code _bulk} is answered by the test's function from the request.
 * Every request is recorded with its headers and (decompressed) body.
 */
final class FakeBulkServer implements AutoCloseable {

    /** A request as the server saw it. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, String body) {
    }

    private final HttpServer server;
    final List<Received> requests = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> bulks = new LinkedBlockingQueue<>();
    private volatile Function<Received, Answer> bulk = FakeBulkServer::allCreated;
    private volatile Function<Received, Answer> template = r -> new Answer(200, "{\"acknowledged\":true}");
    private volatile Predicate<String> authorized = authorization -> true;

    FakeBulkServer() {
        this(null);
    }

    /** Serves HTTPS with {@code tls} when not null. */
    FakeBulkServer(SSLContext tls) {
        this(tls, 0);
    }

    /** Serves on {@code port} (0: any free one), HTTPS with {@code tls} when not null. */
    FakeBulkServer(SSLContext tls, int port) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    void answerBulkWith(Function<Received, Answer> answer) {
        bulk = answer;
    }

    /** Index template PUTs are answered by {@code answer} from now on (by default: acknowledged). */
    void answerTemplatesWith(Function<Received, Answer> answer) {
        template = answer;
    }

    /**
     * From now on, answers 401 as Elasticsearch's security module does to every request whose Authorization header
     * (null when absent) {@code accepted} refuses: the server side of an authentication check, nothing more.
     */
    void authenticateWith(Predicate<String> accepted) {
        authorized = accepted;
    }

    /** 201 for every item of the request. */
    static Answer allCreated(Received request) {
        return items(request, i -> 201);
    }

    /** One item per action line, with the status the function gives by item position. */
    static Answer items(Received request, java.util.function.IntUnaryOperator status) {
        String[] lines = request.body().split("\n");
        StringBuilder out = new StringBuilder("{\"took\":1,\"errors\":false,\"items\":[");
        for (int i = 0; i < lines.length / 2; i++) {
            int s = status.applyAsInt(i);
            out.append(i == 0 ? "" : ",").append("{\"create\":{\"_index\":\"x\",\"_id\":\"").append(i)
                    .append("\",\"status\":").append(s);
            if (s >= 300) {
                out.append(",\"error\":{\"type\":\"t").append(s).append("\",\"reason\":\"r").append(s).append("\"}");
            }
            out.append("}}");
        }
        return new Answer(200, out.append("]}").toString());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            raw = new GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes();
        }
        Received received = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), new String(raw, StandardCharsets.UTF_8));
        requests.add(received);
        Answer answer;
        if (!authorized.test(received.header("Authorization"))) {
            answer = new Answer(401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to"
                    + " authenticate user\"},\"status\":401}");
        } else if (received.path().startsWith("/_index_template/")) {
            answer = template.apply(received);
        } else if (received.path().startsWith("/_ilm/")) {
            answer = new Answer(400, "{\"error\":\"no handler found for uri [" + received.path() + "]\",\"status\":400}");
        } else if (received.path().equals("/_bulk")) {
            bulks.add(received);
            answer = bulk.apply(received);
        } else {
            answer = new Answer(404, "{}");
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
