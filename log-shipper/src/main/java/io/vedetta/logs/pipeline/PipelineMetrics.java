package io.vedetta.logs.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the pipeline between the tailer and the sink counts. */
final class PipelineMetrics {

    final AtomicInteger heldFiles = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final Counter podWaitExpired;
    final Counter recordsSent;
    final Counter batchesFailed;
    final Counter linesExcluded;
    final Counter optOutsRefused;
    private final MeterRegistry registry;
    private final Map<String, Counter> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Counter> linesRead = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytesRead = new ConcurrentHashMap<>();

    PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("vedetta.log.files.held", heldFiles, AtomicInteger::get)
                .description("New files waiting for their pod's metadata before their lines are shipped")
                .register(registry);
        Gauge.builder("vedetta.log.batches.in.flight", inFlight, AtomicInteger::get)
                .description("Batches handed to the sink and not yet acknowledged")
                .register(registry);
        podWaitExpired = Counter.builder("vedetta.log.pod.wait.expired")
                .description("Files that waited logs.podWait for pod metadata in vain and ship un-enriched")
                .register(registry);
        recordsSent = Counter.builder("vedetta.log.records.sent")
                .description("Records handed to the sink")
                .register(registry);
        linesExcluded = Counter.builder("vedetta.log.lines.excluded")
                .description("Lines not shipped because of logs.namespaces or the pod's vedetta.io/exclude annotations")
                .register(registry);
        optOutsRefused = Counter.builder("vedetta.log.opt.outs.refused")
                .description("Files shipped although their pod asks not to (vedetta.io/exclude annotations), because"
                        + " logs.allowOptOut is false")
                .register(registry);
        batchesFailed = Counter.builder("vedetta.log.batches.failed")
                .description("Batches the sink gave up on; their records stay unacknowledged and are read again")
                .register(registry);
    }

    /** Records of {@code namespace} the sink acknowledged; one series per namespace of the node. */
    Counter acknowledged(String namespace) {
        return acknowledged.computeIfAbsent(namespace, ns -> Counter.builder("vedetta.log.records.acknowledged")
                .description("Records the sink acknowledged (delivered, or stored by the buffer with"
                        + " logs.buffer.acknowledge: stored), by namespace")
                .tag("namespace", ns)
                .register(registry));
    }

    /** Lines of {@code namespace} taken from the tailer (excluded ones included). */
    Counter linesRead(String namespace) {
        return linesRead.computeIfAbsent(namespace, ns -> Counter.builder("vedetta.log.namespace.lines.read")
                .description("Lines read from the container log files, by namespace").tag("namespace", ns)
                .register(registry));
    }

    /** Bytes of {@code namespace}'s lines (without newlines) taken from the tailer. */
    Counter bytesRead(String namespace) {
        return bytesRead.computeIfAbsent(namespace, ns -> Counter.builder("vedetta.log.namespace.read")
                .baseUnit("bytes").description("Bytes read from the container log files, by namespace")
                .tag("namespace", ns).register(registry));
    }
}
