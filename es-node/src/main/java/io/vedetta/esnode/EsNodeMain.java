package io.vedetta.esnode;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one real single-node Elasticsearch cluster, bound to 127.0.0.1, for Vedetta's tests and demo.
 * Started in its own JVM by {@code io.vedetta.testkit.ElasticsearchProcess} so that Elasticsearch's
 * log4j, Lucene and Netty never meet the agent's classpath.
 *
 * <p>Usage: {@code EsNodeMain <home> <httpPort> <transportPort> [setting=value ...]} (port 0 picks a free port;
 * the optional settings are added to the node's, e.g. {@code indexing_pressure.memory.limit=64kb}). Prints
 * {@value #READY_PREFIX}{@code http://127.0.0.1:PORT} on stdout once HTTP is served and the existing
 * shards are allocated. Closes the node on SIGTERM and when stdin reaches end of file, so the node
 * never outlives the process that started it.
 */
public final class EsNodeMain {

    public static final String READY_PREFIX = "VEDETTA_ES_READY ";

    private static final TimeValue RECOVERY_TIMEOUT = TimeValue.timeValueSeconds(60);

    private EsNodeMain() {}

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: EsNodeMain <home> <httpPort> <transportPort> [setting=value ...]");
            System.exit(2);
        }
        try {
            run(args);
        } catch (Exception | LinkageError e) {
            // Exit explicitly: the node's non-daemon threads would keep a half-started JVM alive. The
            // summary goes last so that it is in the tail the parent quotes, however long the trace.
            e.printStackTrace();
            System.err.println("Elasticsearch node failed: " + causes(e));
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        useElasticsearchSystemProperties();
        // Elasticsearch's logging setup routes System.out into log4j; keep the real stdout for the ready line.
        PrintStream stdout = System.out;
        Path home = Path.of(args[0]).toAbsolutePath();
        Settings.Builder extra = Settings.builder();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            extra.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Settings settings = Settings.builder().put(settings(home, Integer.parseInt(args[1]), Integer.parseInt(args[2])))
            .put(extra.build()).build();
        Path configDir = Files.createDirectories(home.resolve("config"));
        writeLoggingConfig(configDir);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), configDir, () -> "vedetta-es");
        LogConfigurator.configure(environment, true);
        Logger log = LogManager.getLogger(EsNodeMain.class);

        Node node = new ClasspathNode(environment, List.of(Netty4Plugin.class, RootInfoPlugin.class));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node, log), "es-node-shutdown"));
        node.start();
        awaitExistingShards(node, log);
        int port = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress().getPort();
        stdout.println(READY_PREFIX + "http://127.0.0.1:" + port);
        stdout.flush();

        drain(System.in, log);
    }

    /**
     * The properties Elasticsearch's own launcher always sets. Log4j's shutdown hook in particular
     * would stop logging while the node is still closing, hiding what a slow or failed close did.
     */
    private static void useElasticsearchSystemProperties() {
        System.setProperty("log4j.shutdownHookEnabled", "false");
        System.setProperty("log4j2.disable.jmx", "true");
        System.setProperty("io.netty.noUnsafe", "true");
        System.setProperty("io.netty.recycler.maxCapacityPerThread", "0");
    }

    private static String causes(Throwable failure) {
        StringBuilder chain = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            chain.append(" <- caused by ").append(cause);
        }
        return chain.toString();
    }

    static Settings settings(Path home, int httpPort, int transportPort) {
        return Settings.builder()
            .put("path.home", home.toString())
            .put("node.name", "vedetta-es")
            .put("cluster.name", "vedetta-test")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // Test machines often have nearly full disks; the watermarks would block writes.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // With the threshold off, the disk monitor lifts every read_only_allow_delete block at each cluster-info
            // refresh (30s by default); tests set that block to provoke 429s, and a refresh would lift it early.
            .put("cluster.info.update.interval", "1h")
            .build();
    }

    /** After a restart, requests to indices whose shards are still recovering would fail; callers expect a usable node. */
    private static void awaitExistingShards(Node node, Logger log) {
        var health = node.client().admin().cluster()
            .prepareHealth(RECOVERY_TIMEOUT)
            .setWaitForYellowStatus()
            .setTimeout(RECOVERY_TIMEOUT)
            .get();
        if (health.isTimedOut()) {
            log.warn("shards not allocated within {}, status {}", RECOVERY_TIMEOUT, health.getStatus());
        }
    }

    private static void writeLoggingConfig(Path configDir) throws IOException {
        try (InputStream config = EsNodeMain.class.getResourceAsStream("log4j2.properties")) {
            Files.copy(config, configDir.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void drain(InputStream in, Logger log) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Input carries no commands; only its end matters.
            }
            log.info("stdin closed, stopping");
        } catch (IOException e) {
            log.warn("reading stdin failed, stopping", e);
        }
    }

    private static void close(Node node, Logger log) {
        try {
            node.close();
            if (!node.awaitClose(20, TimeUnit.SECONDS)) {
                log.warn("node did not close within 20 s");
            }
        } catch (IOException e) {
            log.warn("closing the node failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
