package io.vedetta.agent.metrics.kubelet;

import io.vedetta.secrets.Rereads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own kubelet serving certificate, {@code metrics.kubelet.servingCertFile}: the first certificate of the
 * PEM file (the kubelet writes its certificate, then the CA it made to sign it). Read again when the file changes.
 * A missing or empty file, or a directory (a container runtime creates one where a mounted host path is missing),
 * means the node has no such certificate: its kubelet serves one signed by the cluster CA, and only the CA counts.
 */
final class PinnedCertificate {

    private static final Logger LOG = LoggerFactory.getLogger(PinnedCertificate.class);

    private static final String SETTING = "metrics.kubelet.servingCertFile";

    private final Optional<Path> file;
    private final Rereads rereads;
    private FileState read;
    private byte[] pinned;
    private String state = "not read yet";
    private X509Certificate expiryReported;

    PinnedCertificate(Optional<Path> file, Rereads rereads) {
        this.file = file;
        this.rereads = rereads;
    }

    synchronized boolean matches(X509Certificate presented) {
        if (file.isEmpty()) {
            return false;
        }
        refresh(file.get());
        try {
            if (pinned == null || !Arrays.equals(pinned, presented.getEncoded())) {
                return false;
            }
        } catch (CertificateException e) {
            return false;
        }
        reportExpiry(presented);
        return true;
    }

    private void refresh(Path path) {
        FileState now = FileState.of(path);
        if (now.equals(read)) {
            return;
        }
        read = now;
        if (!now.exists() || !now.regularFile() || now.size() == 0) {
            pinned = null;
            state = path + " (metrics.kubelet.servingCertFile) is missing, empty or not a file";
            LOG.info("no kubelet serving certificate at {} (metrics.kubelet.servingCertFile): only certificates signed"
                    + " by metrics.kubelet.caFile are trusted, as on clusters with serverTLSBootstrap", path);
            return;
        }
        try (InputStream in = Files.newInputStream(path)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            boolean first = pinned == null;
            pinned = certificate.getEncoded();
            state = path + " (" + SETTING + ", " + certificate.getSubjectX500Principal().getName() + ")";
            LOG.info("trusting the kubelet serving certificate of this node: {} from {}",
                    certificate.getSubjectX500Principal().getName(), path);
            if (!first) {
                rereads.changed(SETTING, path, "changed on disk");
            }
        } catch (IOException | CertificateException | ClassCastException e) {
            state = path + " (" + SETTING + "), which cannot be read: " + e.getMessage();
            rereads.failed(SETTING, path, new IOException(e.getMessage()
                    + (pinned == null ? "" : "; the certificate read before stays trusted"), e));
        }
    }

    private void reportExpiry(X509Certificate presented) {
        if (presented.equals(expiryReported)) {
            return;
        }
        try {
            presented.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            expiryReported = presented;
            LOG.warn("the kubelet's own serving certificate {} is out of its validity ({}); it is still trusted because"
                    + " it is the exact certificate of this node, but renew it: delete kubelet.crt and kubelet.key and"
                    + " restart the kubelet, or enable serverTLSBootstrap", state, e.getMessage());
        }
    }

    synchronized String describe() {
        return file.isEmpty() ? "(metrics.kubelet.servingCertFile is empty)" : state;
    }
}
