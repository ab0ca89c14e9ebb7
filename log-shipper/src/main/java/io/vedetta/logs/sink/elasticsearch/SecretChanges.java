package io.vedetta.logs.sink.elasticsearch;

import io.vedetta.secrets.Rereads;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs what re-reading the sink's credential and CA files found: each change at INFO (the rotation was
 * picked up), a failed re-read at WARN once per file until it reads again, counted as {@code secret}.
 */
final class SecretChanges implements Rereads {

    private static final Logger LOG = LoggerFactory.getLogger(SecretChanges.class);

    private final ElasticsearchSinkMetrics metrics;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    SecretChanges(ElasticsearchSinkMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void changed(String setting, Path file, String trigger) {
        metrics.secretChanged(setting).increment();
        failing.remove(setting);
        LOG.info("read {} ({}) again: {}; requests use the new content from now on", setting, file, trigger);
    }

    @Override
    public void failed(String setting, Path file, IOException cause) {
        metrics.error("secret").increment();
        if (failing.add(setting)) {
            LOG.warn("cannot read {} ({}) again: {}; the last content read is still used", setting, file,
                    cause.getMessage());
        }
    }
}
