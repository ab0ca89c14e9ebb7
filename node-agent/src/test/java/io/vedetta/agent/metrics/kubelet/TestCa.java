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
 * 127.0.0.1/localhost signed by the first. Generated once per test JVM; a failure names the keytool step. Other
 * packages' TLS tests (scraping pods over https) use it too.
 */
public final class TestCa {

    private static final String PASSWORD = "vedetta-test";
    private static TestCa instance;

    public final Path caPem;
    final Path otherCaPem;
    final SSLContext serverContext;
    private final Path serverKeyStore;

    private TestCa(Path dir) throws Exception {
        Authority main = authority(dir, "vedetta-test-ca");
        keytool(dir, "-genkeypair", "-keystore", "other.p12", "-alias", "ca", "-dname", "CN=some-other-ca",
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool(dir, "-exportcert", "-keystore", "other.p12", "-alias", "ca", "-rfc", "-file", "other-ca.pem");
        caPem = main.caPem();
        otherCaPem = dir.resolve("other-ca.pem");
        serverKeyStore = main.keyStore();
        serverContext = serverContext(serverKeyStore);
    }

    /**
     * A new TLS context presenting the 127.0.0.1/localhost certificate {@link #caPem} signed: a server started with
     * it cannot resume a session of an earlier one, so every connection is a full handshake the client's trust decides.
     */
    public SSLContext newServerContext() throws Exception {
        return serverContext(serverKeyStore);
    }

    /**
     * A certificate authority of its own ({@code name}-ca.pem in {@code dir}) and a 127.0.0.1/localhost server
     * certificate it signed: what a rotated CA and the serving certificates it re-issued look like. Five keytool runs.
     */
    public static Authority authority(Path dir, String name) throws Exception {
        keytool(dir, "-genkeypair", "-keystore", name + "-ca.p12", "-alias", "ca", "-dname", "CN=" + name,
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool(dir, "-genkeypair", "-keystore", name + ".p12", "-alias", "server", "-dname", "CN=localhost",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3");
        keytool(dir, "-certreq", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".csr");
        keytool(dir, "-gencert", "-keystore", name + "-ca.p12", "-alias", "ca", "-infile", name + ".csr", "-outfile",
                name + ".pem", "-rfc", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3");
        keytool(dir, "-exportcert", "-keystore", name + "-ca.p12", "-alias", "ca", "-rfc", "-file", name + "-ca.pem");
        keytool(dir, "-importcert", "-keystore", name + ".p12", "-alias", "ca", "-file", name + "-ca.pem", "-noprompt");
        keytool(dir, "-importcert", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".pem");
        return new Authority(dir.resolve(name + "-ca.pem"), dir.resolve(name + ".p12"));
    }

    /** A CA's certificate (PEM) and the key store of a server certificate it signed. */
    public record Authority(Path caPem, Path keyStore) {
        /** A new context each call, for the reason {@link TestCa#newServerContext()} gives. */
        public SSLContext newServerContext() throws Exception {
            return serverContext(keyStore);
        }
    }

    /**
     * A serving certificate as the kubelet makes its own when none is configured (kubeadm's default): signed by a CA
     * made for it alone, naming only the node's host name, written to {@code kubelet.crt} as the certificate followed
     * by that CA. {@code name} keeps the files of several such certificates apart in {@code dir}.
     */
    static SelfSigned selfSignedKubelet(Path dir, String name, String hostName) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        keytool(dir, "-genkeypair", "-keystore", name + "-ca.p12", "-alias", "ca", "-dname", "CN=" + hostName + "-ca@" + now,
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool(dir, "-genkeypair", "-keystore", name + ".p12", "-alias", "server", "-dname", "CN=" + hostName + "@" + now,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3");
        keytool(dir, "-certreq", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".csr");
        keytool(dir, "-gencert", "-keystore", name + "-ca.p12", "-alias", "ca", "-infile", name + ".csr", "-outfile",
                name + ".pem", "-rfc", "-ext", "SAN=dns:" + hostName, "-ext", "EKU=serverAuth", "-validity", "3");
        keytool(dir, "-exportcert", "-keystore", name + "-ca.p12", "-alias", "ca", "-rfc", "-file", name + "-ca.pem");
        keytool(dir, "-importcert", "-keystore", name + ".p12", "-alias", "ca", "-file", name + "-ca.pem", "-noprompt");
        keytool(dir, "-importcert", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".pem");
        Path crt = dir.resolve(name + "-kubelet.crt");
        Files.writeString(crt, Files.readString(dir.resolve(name + ".pem")) + Files.readString(dir.resolve(name + "-ca.pem")));
        return new SelfSigned(crt, dir.resolve(name + ".p12"));
    }

    /** A certificate that signs itself, naming {@code hostName}: another node's, or an impostor's. Three keytool runs. */
    static SelfSigned selfSigned(Path dir, String name, String hostName) throws Exception {
        keytool(dir, "-genkeypair", "-keystore", name + ".p12", "-alias", "server", "-dname", "CN=" + hostName,
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "SAN=dns:" + hostName, "-ext", "EKU=serverAuth",
                "-validity", "3");
        keytool(dir, "-exportcert", "-keystore", name + ".p12", "-alias", "server", "-rfc", "-file", name + "-kubelet.crt");
        return new SelfSigned(dir.resolve(name + "-kubelet.crt"), dir.resolve(name + ".p12"));
    }

    /** A kubelet's self-signed {@code kubelet.crt} and the TLS context of a server presenting it. */
    /**
     * A serving certificate and its key store. Each fixture gets a context of its own, so a kubelet restarted with it
     * cannot resume a TLS session of the one before: every connection is a full handshake that the client's trust
     * decides, as against a restarted kubelet.
     */
    record SelfSigned(Path crt, Path keyStore) {
        SSLContext serverContext() throws Exception {
            return TestCa.serverContext(keyStore);
        }
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    public static synchronized TestCa get() throws Exception {
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
