package io.vedetta.logs.enrich;

import io.vedetta.logs.parse.LogEvent;
import io.vedetta.pods.PodInfo;
import io.vedetta.pods.PodMetadata;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches the records of one container log file. The pod is looked up when the file is opened, not per
 * record; while it is not found (a pod seen by the log file before the informer), records go out with what
 * the file name gives, and the lookup is retried at most every {@code logs.podMetadataRetry}.
 * Not thread-safe: one instance per file, used by that file's reader.
 */
public final class FileEnricher {

    private static final Logger LOG = LoggerFactory.getLogger(FileEnricher.class);

    private final ContainerRef source;
    private final EnrichConfig config;
    private final DocumentLayout layout;
    private final KeyDeDotter deDotter;
    private final PodMetadata pods;
    private final EnrichMetrics metrics;
    private final Clock clock;
    private DocumentTemplate template;
    private long nextLookup;
    private boolean missingLogged;

    FileEnricher(ContainerRef source, EnrichConfig config, PodMetadata pods, EnrichMetrics metrics, Clock clock) {
        this.source = source;
        this.config = config;
        this.layout = DocumentLayout.of(config.fields());
        this.deDotter = new KeyDeDotter(config.deDot(), config.deDotSeparator());
        this.pods = pods;
        this.metrics = metrics;
        this.clock = clock;
        lookUp();
    }

    /** The file's pod, if found: the pipeline reads its annotations (multiline mode, index routing). */
    public Optional<PodInfo> pod() {
        return template.pod();
    }

    public LogDocument enrich(LogEvent event) {
        if (!template.enriched() && clock.millis() >= nextLookup) {
            lookUp();
        }
        if (!template.enriched()) {
            metrics.unenriched.increment();
        }
        return new LogDocument(event, template);
    }

    private void lookUp() {
        Optional<PodInfo> pod = find();
        if (pod.isPresent()) {
            metrics.podFound.increment();
            template = enrichedTemplate(pod.get());
            return;
        }
        metrics.podMissing.increment();
        nextLookup = clock.millis() + config.podMetadataRetry().toMillis();
        if (!missingLogged) {
            LOG.info("no pod metadata for {}/{} container {} ({}); shipping its records un-enriched until it is found",
                    source.namespace(), source.pod(), source.container(), source.containerId());
            missingLogged = true;
        }
        template = new DocumentTemplate(layout, config.jsonField(), source, Optional.empty(),
                layout.metadata(source, null, null, Map.of(), Map.of()));
    }

    private Optional<PodInfo> find() {
        Optional<PodInfo> pod = source.containerId().isEmpty() ? Optional.empty()
                : pods.byContainerId(source.containerId());
        return pod.isPresent() ? pod : pods.byName(source.namespace(), source.pod());
    }

    private DocumentTemplate enrichedTemplate(PodInfo pod) {
        Map<String, String> labels = config.labels() ? keys(pod.labels(), "label") : Map.of();
        Map<String, String> annotations = config.annotations() ? keys(pod.annotations(), "annotation") : Map.of();
        PodInfo.ContainerInfo container = pod.container(source.container()).orElse(null);
        return new DocumentTemplate(layout, config.jsonField(), source, Optional.of(pod),
                layout.metadata(source, pod, container, labels, annotations));
    }

    private Map<String, String> keys(Map<String, String> source, String kind) {
        return deDotter.apply(source, dropped -> {
            metrics.keyCollisions.increment();
            LOG.warn("pod {}/{}: {} key {} is left out of its records: de-dotted it equals another key",
                    this.source.namespace(), this.source.pod(), kind, dropped);
        });
    }
}
