package io.vedetta.secrets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the certificates of a PEM bundle, read again when the file changes (checked at a handshake, at
 * most once a second), so a rotated CA Secret is picked up without a restart. A handshake the current bundle
 * refuses reads the file once more before failing, in case it changed within the last second. A bundle that cannot
 * be read keeps the last good one and is reported to {@link Rereads}. Host names are left to the client.
 */
public final class ReloadingTrustManager extends X509ExtendedTrustManager {

    private final Path caFile;
    private final String setting;
    private final Rereads rereads;
    private final SecretFile.FileVersion version;
    private volatile X509ExtendedTrustManager current;
    private byte[] pem;

    /** Reads {@code caFile} now; an unreadable or empty bundle is an error naming {@code setting}. */
    public ReloadingTrustManager(Path caFile, String setting, Rereads rereads) throws IOException {
        this.caFile = caFile;
        this.setting = setting;
        this.rereads = rereads;
        this.version = new SecretFile.FileVersion(caFile, setting);
        this.pem = read();
        this.current = load(pem);
    }

    private byte[] read() throws IOException {
        try {
            return Files.readAllBytes(caFile);
        } catch (IOException e) {
            throw new IOException(setting + ": cannot read " + caFile + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private X509ExtendedTrustManager load(byte[] bundle) throws IOException {
        try (InputStream in = new ByteArrayInputStream(bundle)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(setting + ": " + caFile + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IOException(setting + ": the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException(setting + ": " + caFile + " cannot be used as a CA bundle: " + e.getMessage(), e);
        }
    }

    /** The trust manager of the bundle as it is now: read again if the file changed. */
    private X509ExtendedTrustManager current() {
        try {
            if (version.changed()) {
                reload("changed on disk");
            }
        } catch (IOException e) {
            version.forget();
            rereads.failed(setting, caFile, e);
        }
        return current;
    }

    /** Reads the bundle again; returns whether it changed (and was taken). */
    private synchronized boolean reload(String trigger) throws IOException {
        byte[] bundle = read();
        if (Arrays.equals(bundle, pem)) {
            return false;
        }
        current = load(bundle);
        pem = bundle;
        rereads.changed(setting, caFile, trigger);
        return true;
    }

    /** Runs {@code check} with the current bundle, and once more with the file read again if it refuses. */
    private void verify(Check check) throws CertificateException {
        try {
            check.run(current());
        } catch (CertificateException refused) {
            boolean changed;
            try {
                changed = reload("the server's certificate was refused");
            } catch (IOException e) {
                rereads.failed(setting, caFile, e);
                throw refused;
            }
            if (!changed) {
                throw refused;
            }
            check.run(current);
        }
    }

    private interface Check {
        void run(X509ExtendedTrustManager manager) throws CertificateException;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(m -> m.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(m -> m.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(m -> m.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        current().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        current().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return current().getAcceptedIssuers();
    }
}
