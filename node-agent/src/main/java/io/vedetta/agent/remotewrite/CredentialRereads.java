package io.vedetta.agent.remotewrite;

import io.micrometer.core.instrument.Counter;
import io.vedetta.secrets.Rereads;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What re-reading one endpoint's credential and CA files found: a change at INFO (the rotation was picked up), a
 * failed re-read at WARN once per file until it reads again; both counted. The content is never logged.
 */
final class CredentialRereads implements Rereads {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialRereads.class);

    private final String endpoint;
    private final Counter changed;
    private final Counter failed;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    CredentialRereads(String endpoint, EndpointMetrics metrics) {
        this.endpoint = endpoint;
        this.changed = metrics.secretRereads("changed");
        this.failed = metrics.secretRereads("failed");
    }

    @Override
    public void changed(String setting, Path file, String trigger) {
        changed.increment();
        failing.remove(setting);
        LOG.info("read {} ({}) of remote_write endpoint {} again: {}; requests use the new content from now on",
                setting, file, endpoint, trigger);
    }

    @Override
    public void failed(String setting, Path file, IOException cause) {
        failed.increment();
        if (failing.add(setting)) {
            LOG.warn("cannot read {} ({}) of remote_write endpoint {} again: {}; the last content read is still used",
                    setting, file, endpoint, cause.getMessage());
        }
    }
}
