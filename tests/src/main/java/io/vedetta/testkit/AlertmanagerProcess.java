package io.vedetta.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Alertmanager (Debian package {@code prometheus-alertmanager}) on loopback, gossip off. */
public final class AlertmanagerProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private final ManagedProcess process;
    private final int port;

    private AlertmanagerProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static AlertmanagerProcess start(Path dir, String configYaml) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package"
                    + " `prometheus-alertmanager` (scripts/test and scripts/demo do this)");
        }
        int port = Ports.free();
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("alertmanager.yml"), configYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess process = new ManagedProcess("alertmanager", List.of(BINARY.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="), Map.of(), dir.resolve("alertmanager.log"));
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(process, port);
        if (!Http.await(Duration.ofSeconds(30), () -> Http.get(alertmanager.url() + "/-/ready").status() == 200)) {
            process.close();
            throw process.failure("did not become ready on port " + port);
        }
        return alertmanager;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
