package io.vedetta.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vedetta.agent.config.HttpConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's limits in-process; {@code HostileHttpClientsTest} repeats the main ones on the packaged agent. */
class GuardedHttpServerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private GuardedHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        threads.shutdownNow();
    }

    private void start(HttpConfig config) throws IOException {
        GuardedHttpServer.Handler text = exchange -> {
            byte[] body = ("path " + exchange.getRequest().getRequestPath() + "\n").getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponse().sendHeadersAndGetBody(200, body.length)) {
                out.write(body);
            }
        };
        GuardedHttpServer.Handler big = exchange -> {
            byte[] slice = new byte[1 << 20];
            try (OutputStream out = exchange.getResponse().sendHeadersAndGetBody(200, 64 * slice.length)) {
                for (int i = 0; i < 64; i++) {
                    out.write(slice);
                }
            }
        };
        GuardedHttpServer.Handler streamed = exchange -> {
            try (OutputStream out = exchange.getResponse().sendHeadersAndGetBody(200, 0)) {
                out.write("first ".getBytes(StandardCharsets.UTF_8));
                out.write("x".repeat(100_000).getBytes(StandardCharsets.UTF_8));
                out.write(" last".getBytes(StandardCharsets.UTF_8));
            }
        };
        server = new GuardedHttpServer(config, Map.of(
                "/text", new GuardedHttpServer.Route(text, threads, Duration.ofSeconds(5)),
                "/big", new GuardedHttpServer.Route(big, threads, Duration.ofSeconds(1)),
                "/streamed", new GuardedHttpServer.Route(streamed, threads, Duration.ofSeconds(5))),
                new HttpRejections(registry));
    }

    private static HttpConfig limits(Duration headerTimeout, Duration idleTimeout, int maxConnections, int perClient) {
        return new HttpConfig("127.0.0.1", 0, headerTimeout, idleTimeout, Duration.ofSeconds(30), maxConnections,
                perClient, 8192);
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private double rejected(String reason) {
        return registry.get(HttpRejections.METER).tag("reason", reason).counter().count();
    }

    @Test
    void pipelinedRequestsOnAKeptAliveConnectionAreAnsweredInOrder() throws Exception {
        start(new HttpConfig("127.0.0.1", 0));
        try (Socket socket = connect("127.0.0.1")) {
            send(socket, "GET /text?a HTTP/1.1\r\nHost: x\r\n\r\nGET /streamed HTTP/1.1\r\nHost: x\r\n\r\n");

            assertEquals("path /text\n", new String(readResponse(socket.getInputStream()), StandardCharsets.UTF_8));
            String streamed = new String(readResponse(socket.getInputStream()), StandardCharsets.UTF_8);
            assertTrue(streamed.startsWith("first xxx") && streamed.endsWith("x last"), streamed.length() + " chars");
            assertEquals(100_011, streamed.length());

            send(socket, "HEAD /text HTTP/1.1\r\nHost: x\r\n\r\nGET /text HTTP/1.1\r\nConnection: close\r\n\r\n");
            String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(rest.startsWith("HTTP/1.1 200 OK\r\n") && rest.contains("Content-Length: 11\r\n\r\nHTTP/1.1 200"),
                    "a HEAD answer has headers only: " + rest);
            assertTrue(rest.endsWith("Connection: close\r\n\r\npath /text\n"), rest);
        }
    }

    @Test
    void anHttp10ClientGetsAStreamedBodyEndedByTheClose() throws Exception {
        start(new HttpConfig("127.0.0.1", 0));
        try (Socket socket = connect("127.0.0.1")) {
            send(socket, "GET /streamed HTTP/1.0\r\n\r\n");

            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.contains("Connection: close\r\n\r\nfirst x") && all.endsWith("x last"), all.substring(0, 100));
            assertTrue(!all.contains("chunked"), "HTTP/1.0 knows no chunks");
        }
    }

    @Test
    void aClientThatDoesNotReadItsResponseIsCutOffAndTheThreadFreed() throws Exception {
        start(new HttpConfig("127.0.0.1", 0));
        try (Socket reader = new Socket()) {
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            send(reader, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");

            assertTrue(await(() -> rejected("write_timeout") == 1), "cut off after the route's write timeout");
        }
        try (Socket socket = connect("127.0.0.1")) {
            send(socket, "GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("path /text\n", new String(readResponse(socket.getInputStream()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAsTheyArrive() throws Exception {
        start(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8, 8));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                sockets.add(connect("127.0.0." + (2 + i)));
            }
            try (Socket extra = connect("127.0.0.20")) {
                assertEquals(-1, extra.getInputStream().read(), "closed without an answer");
            }
            assertEquals(1, rejected("connection_limit"));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedWhenIdleWithoutCountingItAsARefusal() throws Exception {
        start(limits(Duration.ofSeconds(30), Duration.ofMillis(500), 8, 8));
        try (Socket socket = connect("127.0.0.1")) {
            send(socket, "GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            readResponse(socket.getInputStream());

            assertEquals(-1, socket.getInputStream().read(), "closed after http.idleTimeout");
        }
        assertEquals(0, rejected("header_timeout"));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        start(limits(Duration.ofMillis(500), Duration.ofSeconds(30), 8, 8));
        try (Socket socket = connect("127.0.0.1")) {
            assertEquals(-1, socket.getInputStream().read());
        }
        assertTrue(await(() -> rejected("header_timeout") == 1));
    }

    @Test
    void otherMethodsAndPathsGetTheirStatus() throws Exception {
        start(new HttpConfig("127.0.0.1", 0));
        assertEquals(405, statusOf("POST /text HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(404, statusOf("GET /metricsx HTTP/1.1\r\n\r\n"));
        assertEquals(505, statusOf("GET /text HTTP/2.0\r\n\r\n"));
        assertEquals(400, statusOf("GET /text HTTP/1.1\r\nBad Header\r\n\r\n"));
        assertEquals(2, rejected("malformed"));
    }

    private int statusOf(String request) throws IOException {
        try (Socket socket = connect("127.0.0.1")) {
            send(socket, request);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The body of one response (Content-Length or chunked), leaving the stream at the next response. */
    private static byte[] readResponse(InputStream in) throws IOException {
        String status = line(in);
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (lower.equals("transfer-encoding: chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(size));
                assertEquals("", line(in));
            }
            assertEquals("", line(in));
        } else {
            body.write(in.readNBytes((int) length));
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("end of stream in a line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
