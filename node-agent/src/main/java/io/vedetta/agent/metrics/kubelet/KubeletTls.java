package io.vedetta.agent.metrics.kubelet;

import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/** TLS contexts for talking to the kubelet: verified against a CA bundle, or (opt-out) not verified at all. */
final class KubeletTls {

    private KubeletTls() {
    }

    /** Trusts exactly the certificates of the PEM bundle {@code caFile}; host names are still verified. */
    static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        return TlsContexts.trusting(caFile);
    }

    /** Accepts any certificate and any host name ({@code metrics.kubelet.insecureSkipVerify}). */
    static SSLContext trustingAnything() throws GeneralSecurityException {
        return TlsContexts.trustingAnything();
    }
}
