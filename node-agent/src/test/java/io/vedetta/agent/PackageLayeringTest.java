package io.vedetta.agent;

import io.vedetta.testing.Layering;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages, bottom first: what every part uses (the lifecycle, the config, relabelling, protobuf, the gzip
 * encoder), the metrics base and its sources, pod discovery, the elected cluster collector (over pod discovery's
 * informers; its events go to a log sink through the record and route primitives only), remote_write and the pod
 * scrapes that fill it, the HTTP endpoints, log shipping, and the assembly ({@code Main}, {@code Agent}) on top.
 * Metrics, pod discovery, scraping and remote_write use the log shipper's shared primitives ({@code io.vedetta.pods},
 * {@code io.vedetta.bytes}, {@code io.vedetta.secrets}) and none of its stages. A new package goes into the layer it
 * belongs to here.
 */
class PackageLayeringTest {

    static final Layering LAYERS = Layering.of("io.vedetta.agent")
            .leaves("io.vedetta.agent.lifecycle..", "io.vedetta.agent.relabel..", "io.vedetta.agent.protobuf..",
                    "io.vedetta.agent.deflate..")
            .layer("config", "io.vedetta.agent.config..")
            .layer("logging", "io.vedetta.agent.logging..")
            .layer("exposition formats", "io.vedetta.agent.metrics.exposition..")
            .layer("metrics", "io.vedetta.agent.metrics")
            .layer("metric sources", "io.vedetta.agent.metrics.kubelet..", "io.vedetta.agent.metrics.cgroup..",
                    "io.vedetta.agent.metrics.node..")
            .layer("kube", "io.vedetta.agent.kube..")
            .layer("cluster", "io.vedetta.agent.cluster..")
            .layer("remote write", "io.vedetta.agent.remotewrite..")
            .layer("scrape", "io.vedetta.agent.scrape..")
            .layer("http", "io.vedetta.agent.http..")
            .layer("logs", "io.vedetta.agent.logs..")
            .layer("assembly", "io.vedetta.agent")
            .forbid("metrics use no log pipeline stage", "io.vedetta.agent.metrics..", "io.vedetta.logs..")
            .forbid("pod discovery uses no log pipeline stage", "io.vedetta.agent.kube..", "io.vedetta.logs..")
            .forbid("scraping uses no log pipeline stage", "io.vedetta.agent.scrape..", "io.vedetta.logs..")
            .forbid("remote_write uses no log pipeline stage", "io.vedetta.agent.remotewrite..", "io.vedetta.logs..");

    @Test
    void dependenciesPointDownTheLayersWithoutCycles() {
        LAYERS.check(LAYERS.mainClasses());
    }
}
