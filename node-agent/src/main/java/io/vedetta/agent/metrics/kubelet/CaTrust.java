package io.vedetta.agent.metrics.kubelet;

import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA bundle of {@code metrics.kubelet.caFile}, read again when the file changes (a rotated cluster CA, or the
 * service account's {@code ca.crt} replaced by the kubelet). A bundle that cannot be read at start is a
 * configuration error; one that becomes unreadable later is logged once and the last good one stays in use, so a
 * half-written file never stops the scrapes. Without a file, the JDK's trust store.
 */
final class CaTrust {

    private static final Logger LOG = LoggerFactory.getLogger(CaTrust.class);

    private final Optional<Path> file;
    private X509ExtendedTrustManager trust;
    private FileState read;
    private FileState reported;

    private CaTrust(Optional<Path> file, X509ExtendedTrustManager trust, FileState read) {
        this.file = file;
        this.trust = trust;
        this.read = read;
    }

    static CaTrust load(Optional<Path> file) throws IOException, GeneralSecurityException {
        if (file.isEmpty()) {
            return new CaTrust(file, TlsContexts.defaultTrustManager(), null);
        }
        FileState state = FileState.of(file.get());
        return new CaTrust(file, TlsContexts.trustManager(file.get()), state);
    }

    synchronized X509ExtendedTrustManager current() {
        if (file.isEmpty()) {
            return trust;
        }
        FileState now = FileState.of(file.get());
        if (!now.equals(read) && !now.equals(reported)) {
            try {
                trust = TlsContexts.trustManager(file.get());
                read = now;
                LOG.info("kubelet CA bundle {} changed and was read again", file.get());
            } catch (IOException | GeneralSecurityException e) {
                reported = now;
                LOG.warn("kubelet CA bundle {} (metrics.kubelet.caFile) changed but cannot be read: {}; the bundle read"
                        + " before stays in use", file.get(), e.getMessage());
            }
        }
        return trust;
    }

    String describe() {
        return file.map(f -> f + " (metrics.kubelet.caFile)").orElse("the JDK's trust store (metrics.kubelet.caFile is empty)");
    }
}
