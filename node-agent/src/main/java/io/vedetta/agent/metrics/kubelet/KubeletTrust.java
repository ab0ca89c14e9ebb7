package io.vedetta.agent.metrics.kubelet;

import io.vedetta.secrets.ReloadingTrustManager;
import io.vedetta.secrets.Rereads;
import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whether the kubelet's certificate is trusted. Either it chains to a CA of {@code metrics.kubelet.caFile} (the
 * JDK's trust store when unset) and names the address dialled, which is how clusters with serving certificates
 * signed by the cluster CA work ({@code serverTLSBootstrap}: EKS, k3s, kubeadm when enabled); or it is exactly the
 * node's own serving certificate, read from {@code metrics.kubelet.servingCertFile} on the node's disk (kubeadm's
 * default, a certificate the kubelet signed itself). Anything else is refused, including other self-signed
 * certificates.
 *
 * <p>The pinned certificate is compared byte for byte and its host names are not checked: the kubelet's
 * self-signed certificate names only the node's host name, while the agent dials the node's IP, so a host-name
 * check would refuse the very certificate the node serves; and the pin already says more than a name could, since
 * only the holder of that certificate's private key, on that node's disk, can present it. Its validity dates are not
 * checked either: the kubelet never renews that certificate by itself and keeps serving it after it expired, and an
 * expired certificate proves the same key; the expiry is logged once, with how to renew it.
 *
 * <p>Both files are read again when they change, so a rotated CA bundle or a regenerated serving certificate is
 * picked up without a restart: the serving certificate is looked at on every TLS handshake (a stat; handshakes happen
 * only when a connection is opened), the CA bundle as {@link ReloadingTrustManager} does for every TLS client of the
 * agent.
 */
final class KubeletTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager ca;
    private final String caDescription;
    private final PinnedCertificate pin;

    private KubeletTrust(X509ExtendedTrustManager ca, String caDescription, PinnedCertificate pin) {
        this.ca = ca;
        this.caDescription = caDescription;
        this.pin = pin;
    }

    /**
     * Fails when the CA bundle cannot be read now; the serving certificate may be missing (then only the CA counts).
     * Later changes of either file, and failures to read them again, go to {@code rereads}.
     */
    static KubeletTrust of(Optional<Path> caFile, Optional<Path> servingCertFile, Rereads rereads)
            throws IOException, GeneralSecurityException {
        X509ExtendedTrustManager ca = caFile.isPresent()
                ? new ReloadingTrustManager(caFile.get(), "metrics.kubelet.caFile", rereads)
                : TlsContexts.defaultTrustManager();
        String described = caFile.map(f -> f + " (metrics.kubelet.caFile)")
                .orElse("the JDK's trust store (metrics.kubelet.caFile is empty)");
        return new KubeletTrust(ca, described, new PinnedCertificate(servingCertFile, rereads));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, trust -> trust.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, trust -> trust.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, trust -> trust.checkServerTrusted(chain, authType));
    }

    /** The pinned certificate, else the CA's check (with the host name, where JSSE passes the connection). */
    private void check(X509Certificate[] chain, CaCheck caCheck) throws CertificateException {
        if (pinned(chain)) {
            return;
        }
        try {
            caCheck.check(ca);
        } catch (CertificateException e) {
            throw refused(chain, e);
        }
    }

    @FunctionalInterface
    private interface CaCheck {
        void check(X509ExtendedTrustManager trust) throws CertificateException;
    }

    private boolean pinned(X509Certificate[] chain) {
        return chain != null && chain.length > 0 && pin.matches(chain[0]);
    }

    /** Not chained to {@code cause}: the client reports the innermost message, which is this one. */
    private CertificateException refused(X509Certificate[] chain, CertificateException cause) {
        String presented = chain == null || chain.length == 0 ? "no certificate"
                : "a certificate for " + chain[0].getSubjectX500Principal().getName() + " issued by "
                        + chain[0].getIssuerX500Principal().getName();
        return new CertificateException("the kubelet presented " + presented + ", which neither chains to a CA of "
                + caDescription + " for the address dialled (" + cause.getMessage() + ") nor is the node's serving"
                + " certificate " + pin.describe());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the kubelet client authenticates no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the kubelet client authenticates no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the kubelet client authenticates no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.getAcceptedIssuers();
    }
}
