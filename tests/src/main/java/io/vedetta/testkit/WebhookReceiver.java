package io.vedetta.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Stands in for the on-call bridges of {@code alert-rules/alertmanager.yml}: receives Alertmanager's
 * webhook notifications on any path ({@code /paging}, {@code /chat}, {@code /heartbeat}) and keeps them.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Notification> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver(Consumer<Notification> onReceive) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                Notification n = new Notification(exchange.getRequestURI().getPath(),
                        JSON.readTree(exchange.getRequestBody()));
                received.add(n);
                onReceive.accept(n);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** The base URL that replaces the example's {@code http://alert-bridge.monitoring.svc:8080}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Notification> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One webhook call: the receiver path and Alertmanager's JSON payload. */
    public record Notification(String path, JsonNode body) {

        public String status() {
            return body.path("status").asText();
        }

        public boolean concerns(String alertname) {
            for (JsonNode alert : body.path("alerts")) {
                if (alert.path("labels").path("alertname").asText().equals(alertname)) {
                    return true;
                }
            }
            return false;
        }

        public String summary() {
            StringBuilder out = new StringBuilder(path + " " + status() + ":");
            for (JsonNode alert : body.path("alerts")) {
                out.append(" ").append(alert.path("labels").path("alertname").asText())
                        .append("{").append(alert.path("labels").path("namespace").asText())
                        .append("/").append(alert.path("labels").path("pod").asText()).append("}");
            }
            return out.toString();
        }
    }
}
