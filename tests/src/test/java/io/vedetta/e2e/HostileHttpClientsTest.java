package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent's HTTP server against clients that hold connections open, send headers a byte at a time,
 * announce bodies they send slowly, or send headers no scraper sends. Clients come from several loopback
 * addresses (127.0.0.2 and up), as pods of a node come from several, so the per-client limit is exercised too.
 */
class HostileHttpClientsTest {

    private static final int HEADER_TIMEOUT_SECONDS = 6;
    private static final int PER_CLIENT = 16;
    private static AgentProcess agent;

    @BeforeAll
    static void startAgent(@TempDir Path dir) {
        agent = AgentProcess.start(dir.resolve("agent"), """
                kubernetes: {enabled: false}
                metrics:
                  kubelet: {enabled: false}
                logging: {format: text}
                """, Map.of(), List.of("-Xmx128m"), Map.of(
                "requestHeaderTimeout", HEADER_TIMEOUT_SECONDS + "s",
                "maxConnectionsPerClient", String.valueOf(PER_CLIENT)));
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    @Test
    void probesAndScrapesAnswerWhileAHundredConnectionsDribbleTheirHeaders() throws Exception {
        double timeoutsBefore = rejected("header_timeout");
        List<Socket> dribblers = new CopyOnWriteArrayList<>();
        ScheduledExecutorService dribble = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int client = 2; client < 10; client++) {
                for (int i = 0; i < 12; i++) {
                    Socket socket = connectFrom("127.0.0." + client);
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: agent\r\nX-Slow: "
                            .getBytes(StandardCharsets.ISO_8859_1));
                    dribblers.add(socket);
                }
            }
            // A byte every half second each: a deadline that moved with every byte would never close them.
            dribble.scheduleWithFixedDelay(() -> dribblers.forEach(socket -> {
                try {
                    socket.getOutputStream().write('a');
                } catch (IOException e) {
                    // closed by the server, as it should be
                }
            }), 0, 500, TimeUnit.MILLISECONDS);

            assertEquals(200, Http.get(agent.url() + "/healthz").status());
            assertEquals(200, Http.get(agent.url() + "/readyz").status());
            Http.Response metrics = Http.get(agent.url() + "/metrics");
            assertEquals(200, metrics.status());
            assertTrue(value(metrics.body(), "vedetta_http_connections") >= dribblers.size(),
                    "the dribbling connections were open while /metrics answered: " + grep(metrics.body()));

            assertTrue(Http.await(Duration.ofSeconds(HEADER_TIMEOUT_SECONDS + 10),
                    () -> dribblers.stream().allMatch(HostileHttpClientsTest::closedByServer)),
                    "every dribbling connection is closed once http.requestHeaderTimeout has passed");
            assertTrue(rejected("header_timeout") - timeoutsBefore >= dribblers.size(),
                    "each is counted: " + grep(Http.get(agent.url() + "/metrics").body()));
        } finally {
            dribble.shutdownNow();
            for (Socket socket : dribblers) {
                socket.close();
            }
        }
        assertEquals(200, Http.get(agent.url() + "/healthz").status());
    }

    @Test
    void oneClientCannotHoldMoreThanItsShareOfConnections() throws Exception {
        double before = rejected("client_connection_limit");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT + 4; i++) {
                sockets.add(connectFrom("127.0.0.20"));
            }

            assertTrue(Http.await(Duration.ofSeconds(10),
                    () -> sockets.stream().filter(HostileHttpClientsTest::closedByServer).count() == 4),
                    "the connections beyond http.maxConnectionsPerClient are closed at once");
            assertEquals(200, Http.get(agent.url() + "/healthz").status(), "other clients are still served");
            assertEquals(4, rejected("client_connection_limit") - before);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aRequestAnnouncingABodyIsRefusedWithoutWaitingForIt() throws Exception {
        try (Socket socket = connectFrom("127.0.0.30")) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: agent\r\nContent-Length: 1048576\r\n\r\n"
                    + "the first few bytes of a body that never ends").getBytes(StandardCharsets.ISO_8859_1));

            assertEquals(413, status(socket.getInputStream()));
        }
        assertEquals(200, Http.get(agent.url() + "/healthz").status());
    }

    @Test
    void headersLargerThanTheLimitAreRefused() throws Exception {
        try (Socket socket = connectFrom("127.0.0.31")) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: agent\r\nX-Big: " + "x".repeat(16_384)
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

            assertEquals(431, status(socket.getInputStream()));
        }
        try (Socket socket = connectFrom("127.0.0.31")) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /metrics?" + "q".repeat(16_384) + " HTTP/1.1\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));

            assertEquals(414, status(socket.getInputStream()));
        }
        assertTrue(rejected("header_too_large") >= 2);
        assertEquals(200, Http.get(agent.url() + "/healthz").status());
    }

    private static Socket connectFrom(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.port()), 5_000);
        return socket;
    }

    /** Whether the server has closed the socket (end of stream or reset), without waiting more than a moment. */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(50);
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) .*\\r?").matcher(line);
        assertTrue(m.matches(), "not a status line: " + line);
        return Integer.parseInt(m.group(1));
    }

    private static double rejected(String reason) {
        return value(Http.get(agent.url() + "/metrics").body(), "vedetta_http_rejected_total{reason=\"" + reason + "\"}");
    }

    private static double value(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " is not exposed: " + grep(exposition));
    }

    private static String grep(String exposition) {
        return String.join("\n", exposition.lines().filter(l -> l.startsWith("vedetta_http")).toList());
    }
}
