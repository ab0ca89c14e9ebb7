package io.vedetta.agent.scrape;

import io.vedetta.agent.config.ConfigException;
import io.vedetta.agent.config.ScrapeConfig;
import io.vedetta.secrets.ReloadingTrustManager;
import io.vedetta.secrets.Rereads;
import io.vedetta.tls.TlsContexts;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS of pods scraped over {@code https}: verified against {@code scrape.tls.caFile}, read again when it changes
 * (a rotated CA Secret is picked up without a restart, as for the kubelet and remote_write), or against the JDK's
 * trust store; not verified at all only when {@code scrape.tls.insecureSkipVerify} says so.
 */
final class TargetTls {

    private static final Logger LOG = LoggerFactory.getLogger(TargetTls.class);
    static final String CA_SETTING = "scrape.tls.caFile";

    private TargetTls() {
    }

    /** {@code rereads} hears of each change of the CA bundle and each failed re-read of it. */
    static SSLSocketFactory socketFactory(ScrapeConfig config, Rereads rereads) {
        try {
            if (config.insecureSkipVerify()) {
                LOG.warn("TLS verification of scraped pods is OFF (scrape.tls.insecureSkipVerify: true)");
                return TlsContexts.trustingAnything().getSocketFactory();
            }
            if (config.caFile().isPresent()) {
                return TlsContexts.trusting(new ReloadingTrustManager(config.caFile().get(), CA_SETTING, rereads))
                        .getSocketFactory();
            }
            return SSLContext.getDefault().getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(CA_SETTING, "cannot load the CA bundle "
                    + config.caFile().map(Object::toString).orElse("") + ": " + e.getMessage(),
                    "point it at a readable PEM file with the CA that signed the pods' serving certificates");
        }
    }
}
