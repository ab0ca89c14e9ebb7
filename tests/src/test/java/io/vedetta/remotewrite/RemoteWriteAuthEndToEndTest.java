package io.vedetta.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.TestCertificates;
import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * remote_write to receivers that ask for credentials, over TLS verified against a test CA
 * ({@code remoteWrite.endpoints[].tls.caFile}): a real Prometheus started with {@code --web.enable-remote-write-receiver}
 * and a {@code --web.config.file} that requires TLS and basic auth ({@code basic_auth_users}, bcrypt hashes; Prometheus
 * reads the file again on every request, so a test can rotate a password on the server). Prometheus' web config cannot
 * check bearer tokens, so for them a small HTTPS server in front of it checks the {@code Authorization} header and passes
 * what it lets through on. One Prometheus for the class; an agent per test, each with a user of its own.
 */
class RemoteWriteAuthEndToEndTest {

    private static final String TESTER = "tester";
    private static final String TESTER_PASSWORD = "tester-Pa55";

    @TempDir
    static Path dir;
    private static TestCertificates.Server certificate;
    private static Path webConfig;
    /** The receiver's users and their passwords; written to its web config hashed. */
    private static final Map<String, String> users = new LinkedHashMap<>();
    private static PrometheusProcess receiver;
    private static final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        TestCertificates pki = TestCertificates.get();
        certificate = pki.signedByCluster("rw-auth-receiver", "127.0.0.1");
        webConfig = dir.resolve("web.yml");
        users.put(TESTER, TESTER_PASSWORD);
        writeWebConfig();
        receiver = PrometheusProcess.start(dir.resolve("prometheus"), "global: {scrape_interval: 1m}\n",
                List.of("--web.enable-remote-write-receiver"), new PrometheusProcess.Web(webConfig,
                        TlsContexts.trusting(pki.clusterCa()), basic(TESTER, TESTER_PASSWORD)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** TLS with the test CA's certificate, and every user; replaced at once, so Prometheus never reads half of it. */
    private static synchronized void writeWebConfig() throws IOException {
        StringBuilder yaml = new StringBuilder("tls_server_config:\n  cert_file: " + certificate.certificate()
                + "\n  key_file: " + certificate.key() + "\nbasic_auth_users:\n");
        users.forEach((user, password) -> yaml.append("  ").append(user).append(": ")
                .append(BCrypt.hashpw(password, BCrypt.gensalt(4))).append('\n'));
        replace(webConfig, yaml.toString());
    }

    private static void setPassword(String user, String password) throws IOException {
        synchronized (RemoteWriteAuthEndToEndTest.class) {
            users.put(user, password);
            writeWebConfig();
        }
    }

    /** Replaces {@code file} by a new one (a new inode), as a Secret volume's or a Vault agent's rotation does. */
    private static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An agent pushing its own series as node {@code node} to {@code url}, authenticated as {@code credentials} say. */
    private static AgentProcess agent(String node, String url, String credentials) {
        String config = """
                kubernetes: {enabled: false}
                scrape:
                  interval: 1s
                  timeout: 900ms
                remoteWrite:
                  walDir: %s
                  endpoints:
                    - name: %s
                      url: %s
                      tls: {caFile: %s}
                      %s
                      queue: {batchSendDeadline: 200ms, minBackoff: 100ms, maxBackoff: 1s}
                """.formatted(dir.resolve(node).resolve("wal"), node, url, TestCertificates.get().clusterCa(),
                credentials);
        AgentProcess agent = AgentProcess.start(dir.resolve(node), config, Map.of("NODE_NAME", node));
        closeables.add(agent);
        return agent;
    }

    /** An agent sending basic auth as {@code user}, with {@code password} in its password file. */
    private static AgentProcess basicAuthAgent(String node, String user, String password) throws IOException {
        Path file = secretFile(node, "password", password);
        return agent(node, receiver.url() + "/api/v1/write",
                "basicAuth: {username: " + user + ", passwordFile: " + file + "}");
    }

    private static Path secretFile(String node, String name, String content) throws IOException {
        Path file = Files.createDirectories(dir.resolve(node).resolve("secret")).resolve(name);
        Files.writeString(file, content + "\n");
        return file;
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) {
        assertTrue(Http.await(timeout, condition), "timed out waiting until " + what);
    }

    /** Whether the agent's own series written after {@code afterSeconds} (Unix time) reached the receiver. */
    private static boolean arrived(String node, double afterSeconds) {
        return !receiver.query("timestamp(vedetta_build_info{job=\"vedetta\",node=\"" + node + "\"}) > " + afterSeconds)
                .isEmpty();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String log(AgentProcess agent) {
        try {
            return Files.readString(agent.process().log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Neither the secret nor any Authorization header made of it is in the agent's log. */
    private static void assertNeverLogged(AgentProcess agent, String user, String secret) {
        String log = log(agent);
        assertFalse(log.contains(secret), "the agent's log holds the secret");
        assertFalse(log.contains(basic(user, secret).substring(6)), "the agent's log holds the Authorization header");
    }

    @Test
    void samplesArriveOverVerifiedTlsWithBasicAuthFromAFile() throws Exception {
        setPassword("basic-agent", "basic-Pa55word");
        double start = now();
        try (AgentProcess agent = basicAuthAgent("basic", "basic-agent", "basic-Pa55word")) {
            await(Duration.ofSeconds(60), "the agent's series arrived", () -> arrived("basic", start));

            assertEquals(1.0, receiver.value("vedetta_build_info{node=\"basic\"}"));
            assertEquals(0.0, agent.metricStartingWith("prometheus_remote_storage_samples_failed_total{"));
            assertNeverLogged(agent, "basic-agent", "basic-Pa55word");
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith401NeverRetriedLoggedOnceAndNeverWrittenToTheLog() throws Exception {
        setPassword("wrong-agent", "the-Right-one");
        try (AgentProcess agent = basicAuthAgent("wrong", "wrong-agent", "a-Wrong-0ne")) {
            await(Duration.ofSeconds(60), "a request was refused", () ->
                    agent.metricStartingWith("prometheus_remote_storage_samples_failed_total{") > 0);
            double firstRefusal = agent.metricStartingWith("prometheus_remote_storage_samples_failed_total{");
            await(Duration.ofSeconds(30), "a later request was refused too", () ->
                    agent.metricStartingWith("prometheus_remote_storage_samples_failed_total{") > firstRefusal);

            assertEquals(0.0, agent.metricStartingWith("prometheus_remote_storage_samples_retried_total{"),
                    "a 401 whose password file did not change is not sent again");
            assertEquals(0.0, agent.metricStartingWith("prometheus_remote_storage_samples_total{"));
            assertTrue(receiver.query("vedetta_build_info{node=\"wrong\"}").isEmpty());
            String log = log(agent);
            assertEquals(1, log.split("HTTP 401", -1).length - 1, "the refusal is logged once:\n" + log);
            assertNeverLogged(agent, "wrong-agent", "a-Wrong-0ne");
        }
    }

    @Test
    void aRotatedPasswordFileIsSentWithoutARestart() throws Exception {
        setPassword("rotating-agent", "first-Pa55");
        try (AgentProcess agent = basicAuthAgent("rotating", "rotating-agent", "first-Pa55")) {
            double start = now();
            await(Duration.ofSeconds(60), "the agent's series arrived", () -> arrived("rotating", start));

            setPassword("rotating-agent", "second-Pa55");
            await(Duration.ofSeconds(30), "the old password was refused", () ->
                    agent.metricStartingWith("prometheus_remote_storage_samples_failed_total{") > 0);
            replace(dir.resolve("rotating").resolve("secret").resolve("password"), "second-Pa55\n");
            double rotated = now();

            await(Duration.ofSeconds(30), "series written after the rotation arrived",
                    () -> arrived("rotating", rotated));
            assertTrue(agent.metricStartingWith("vedetta_remote_write_secret_rereads_total{") >= 1);
            assertNeverLogged(agent, "rotating-agent", "first-Pa55");
            assertNeverLogged(agent, "rotating-agent", "second-Pa55");
        }
    }

    @Test
    void aBearerTokenFromAFileIsSentAndARotatedOneUsedWithoutARestart() throws Exception {
        try (BearerGate gate = new BearerGate("first-T0ken")) {
            Path token = secretFile("bearer", "token", "first-T0ken");
            try (AgentProcess agent = agent("bearer", gate.url(), "bearerTokenFile: " + token)) {
                double start = now();
                await(Duration.ofSeconds(60), "the agent's series arrived", () -> arrived("bearer", start));
                assertEquals(0, gate.refused);

                gate.expected = "second-T0ken";
                await(Duration.ofSeconds(30), "the old token was refused", () ->
                        agent.metricStartingWith("prometheus_remote_storage_samples_failed_total{") > 0);
                replace(token, "second-T0ken\n");
                double rotated = now();

                await(Duration.ofSeconds(30), "series written after the rotation arrived",
                        () -> arrived("bearer", rotated));
                String log = log(agent);
                assertFalse(log.contains("first-T0ken") || log.contains("second-T0ken"), "a token is in the log");
            }
        }
    }

    /**
     * An HTTPS server (the receiver's certificate) letting through to the receiver only requests whose
     * {@code Authorization} is {@code Bearer <expected>}; the rest get 401, as a token-checking gateway answers.
     */
    private static final class BearerGate implements AutoCloseable {
        private final HttpsServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(4);
        private final HttpClient client = HttpClient.newBuilder().sslContext(trust()).build();
        volatile String expected;
        volatile int refused;

        BearerGate(String expected) throws IOException {
            this.expected = expected;
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.context()));
            server.setExecutor(threads);
            server.createContext("/api/v1/write", this::handle);
            server.start();
        }

        private static SSLContext trust() {
            try {
                return TlsContexts.trusting(TestCertificates.get().clusterCa());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String url() {
            return "https://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status;
                byte[] answer;
                if (("Bearer " + expected).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    HttpResponse<byte[]> passed = client.send(HttpRequest.newBuilder(URI.create(receiver.url()
                                    + "/api/v1/write"))
                            .header("Authorization", basic(TESTER, TESTER_PASSWORD))
                            .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    status = passed.statusCode();
                    answer = passed.body();
                } else {
                    refused++;
                    status = 401;
                    answer = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
