package io.vedetta.agent.metrics.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Two throw-away certificate authorities made with the JDK's keytool, and a server certificate for
 * 127.0.0.1/localhost signed by the first. Generated once per test JVM; a failure names the keytool step.
 */
final class TestCa {

    private static final String PASSWORD = "vedetta-test";
    private static TestCa instance;

    final Path caPem;
    final Path otherCaPem;
    final SSLContext serverContext;

    private TestCa(Path dir) throws Exception {
        keytool(dir, "-genkeypair", "-keystore", "ca.p12", "-alias", "ca", "-dname", "CN=vedetta-test-ca",
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool(dir, "-genkeypair", "-keystore", "other.p12", "-alias", "ca", "-dname", "CN=some-other-ca",
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool(dir, "-genkeypair", "-keystore", "server.p12", "-alias", "server", "-dname", "CN=localhost",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3");
        keytool(dir, "-certreq", "-keystore", "server.p12", "-alias", "server", "-file", "server.csr");
        keytool(dir, "-gencert", "-keystore", "ca.p12", "-alias", "ca", "-infile", "server.csr", "-outfile",
                "server.pem", "-rfc", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3");
        keytool(dir, "-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.pem");
        keytool(dir, "-exportcert", "-keystore", "other.p12", "-alias", "ca", "-rfc", "-file", "other-ca.pem");
        keytool(dir, "-importcert", "-keystore", "server.p12", "-alias", "ca", "-file", "ca.pem", "-noprompt");
        keytool(dir, "-importcert", "-keystore", "server.p12", "-alias", "server", "-file", "server.pem");
        caPem = dir.resolve("ca.pem");
        otherCaPem = dir.resolve("other-ca.pem");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
    }

    static synchronized TestCa get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("vedetta-test-ca");
            dir.toFile().deleteOnExit();
            instance = new TestCa(dir);
        }
        return instance;
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("generating the test CA failed at `keytool " + String.join(" ", args)
                    + "`: " + output);
        }
    }
}
