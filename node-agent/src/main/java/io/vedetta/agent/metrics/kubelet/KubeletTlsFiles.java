package io.vedetta.agent.metrics.kubelet;

import io.vedetta.agent.metrics.ErrorReason;
import io.vedetta.agent.metrics.MetricsErrors;
import io.vedetta.secrets.Rereads;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What re-reading the kubelet client's CA bundle and the node's serving certificate found: a change at INFO, a file
 * that changed but cannot be read counted as {@code vedetta_errors_total{stage="metrics",reason="secret"}} and logged
 * once until it reads again. The scrapes go on with what was read before, so this is not a failed collection.
 */
final class KubeletTlsFiles implements Rereads {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletTlsFiles.class);

    private final MetricsErrors errors;

    KubeletTlsFiles(MetricsErrors errors) {
        this.errors = errors;
    }

    @Override
    public void changed(String setting, Path file, String trigger) {
        errors.recovered(setting);
        LOG.info("read {} ({}) again: {}; new kubelet connections use it", setting, file, trigger);
    }

    @Override
    public void failed(String setting, Path file, IOException cause) {
        errors.failed(setting, ErrorReason.SECRET, file + " changed but cannot be read again: " + cause.getMessage()
                + "; what was read before stays in use", cause);
    }
}
