package io.vedetta.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS client contexts for the agent's connections (Elasticsearch, the kubelet): verified against the certificates of
 * PEM files, or, where an operator opted out, not verified at all.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** A trust store of every certificate of the PEM bundles {@code pemFiles}; each must hold at least one. */
    public static KeyStore trustStore(Path... pemFiles) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (Path file : pemFiles) {
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(file)) {
                certificates = x509.generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        return store;
    }

    /** Trusts exactly the certificates of the PEM bundles {@code pemFiles}; host names are still the client's to check. */
    public static SSLContext trusting(Path... pemFiles) throws IOException, GeneralSecurityException {
        return trusting(trustManager(pemFiles));
    }

    /** A TLS context deciding trust with {@code trust}. */
    public static SSLContext trusting(TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    /** The JDK's trust manager for exactly the certificates of the PEM bundles {@code pemFiles}. */
    public static X509ExtendedTrustManager trustManager(Path... pemFiles) throws IOException, GeneralSecurityException {
        return trustManagerOf(trustStore(pemFiles));
    }

    /** The JDK's trust store, as {@code SSLContext.getDefault()} uses it. */
    public static X509ExtendedTrustManager defaultTrustManager() throws GeneralSecurityException {
        return trustManagerOf(null);
    }

    private static X509ExtendedTrustManager trustManagerOf(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }

    /**
     * Accepts any certificate and any host name: only behind a setting that turns verification off and is logged as a
     * warning at every start. An extended trust manager on purpose: with a plain one JSSE adds its own checks, and
     * {@code HttpsURLConnection} with its default host name verifier leaves host names to JSSE, which checks them inside
     * the trust manager; so verification is skipped for this client only, without a process-wide verifier.
     */
    public static SSLContext trustingAnything() throws GeneralSecurityException {
        return trusting(new TrustAll());
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
