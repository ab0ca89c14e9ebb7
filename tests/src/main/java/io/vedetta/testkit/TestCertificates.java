package io.vedetta.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Certificates of a simulated cluster, made with the JDK's keytool (about a second a run, so once per JVM): the
 * cluster CA (what the service account's {@code ca.crt} holds), servers it signed, and a kubelet serving certificate
 * made the way a kubelet makes its own when it has none (kubeadm's default): signed by a CA made for it alone, naming
 * only the node's host name, written as the certificate followed by that CA.
 */
public final class TestCertificates {

    private static final String PASSWORD = "vedetta-test";
    private static TestCertificates instance;

    private final Path dir;
    private final Path clusterCa;

    private TestCertificates(Path dir) {
        this.dir = dir;
        keytool("-genkeypair", "-keystore", "cluster-ca.p12", "-alias", "ca", "-dname", "CN=kubernetes",
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool("-exportcert", "-keystore", "cluster-ca.p12", "-alias", "ca", "-rfc", "-file", "cluster-ca.crt");
        this.clusterCa = dir.resolve("cluster-ca.crt");
    }

    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("vedetta-pki");
                dir.toFile().deleteOnExit();
                instance = new TestCertificates(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The cluster CA's certificate (PEM): the service account's {@code ca.crt}. */
    public Path clusterCa() {
        return clusterCa;
    }

    /** A server certificate for {@code ips} signed by the cluster CA (a kubelet with serverTLSBootstrap, the API server). */
    public synchronized Server signedByCluster(String name, String... ips) {
        String san = String.join(",", java.util.Arrays.stream(ips).map(ip -> "ip:" + ip).toList());
        keytool("-genkeypair", "-keystore", name + ".p12", "-alias", "server", "-dname", "CN=" + name,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3");
        keytool("-certreq", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".csr");
        keytool("-gencert", "-keystore", "cluster-ca.p12", "-alias", "ca", "-infile", name + ".csr", "-outfile",
                name + ".pem", "-rfc", "-ext", "SAN=" + san, "-ext", "EKU=serverAuth", "-validity", "3");
        keytool("-importcert", "-keystore", name + ".p12", "-alias", "ca", "-file", "cluster-ca.crt", "-noprompt");
        keytool("-importcert", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".pem");
        return new Server(dir.resolve(name + ".pem"), privateKey(name), serverContext(dir.resolve(name + ".p12")));
    }

    /** A kubelet's self-made serving certificate for {@code hostName}: what {@code /var/lib/kubelet/pki/kubelet.crt} holds. */
    public synchronized Server kubeletSelfSigned(String name, String hostName) {
        long now = System.currentTimeMillis() / 1000;
        keytool("-genkeypair", "-keystore", name + "-ca.p12", "-alias", "ca", "-dname", "CN=" + hostName + "-ca@" + now,
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "3");
        keytool("-genkeypair", "-keystore", name + ".p12", "-alias", "server", "-dname", "CN=" + hostName + "@" + now,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3");
        keytool("-certreq", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".csr");
        keytool("-gencert", "-keystore", name + "-ca.p12", "-alias", "ca", "-infile", name + ".csr", "-outfile",
                name + ".pem", "-rfc", "-ext", "SAN=dns:" + hostName, "-ext", "EKU=serverAuth", "-validity", "3");
        keytool("-exportcert", "-keystore", name + "-ca.p12", "-alias", "ca", "-rfc", "-file", name + "-ca.pem");
        keytool("-importcert", "-keystore", name + ".p12", "-alias", "ca", "-file", name + "-ca.pem", "-noprompt");
        keytool("-importcert", "-keystore", name + ".p12", "-alias", "server", "-file", name + ".pem");
        try {
            Path crt = dir.resolve(name + "-kubelet.crt");
            Files.writeString(crt, Files.readString(dir.resolve(name + ".pem")) + Files.readString(dir.resolve(name + "-ca.pem")));
            return new Server(crt, privateKey(name), serverContext(dir.resolve(name + ".p12")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server's certificate file (PEM, as a node keeps it), its private key (PKCS#8 PEM, for servers configured with
     * files, such as Prometheus' {@code tls_server_config}) and the TLS context that presents it.
     */
    public record Server(Path certificate, Path key, SSLContext context) {
    }

    /** Writes the private key of {@code name}.p12 as {@code name}-key.pem. */
    private Path privateKey(String name) {
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            byte[] pkcs8 = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
            return Files.writeString(dir.resolve(name + "-key.pem"), pem);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the private key of " + name + ".p12", e);
        }
    }

    private static SSLContext serverContext(Path keyStore) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + keyStore, e);
        }
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("`keytool " + String.join(" ", args) + "` failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
