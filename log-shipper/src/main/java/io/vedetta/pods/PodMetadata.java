package io.vedetta.pods;

import java.util.Optional;

/**
 * Read-only lookup of the pods of this node, implemented by the agent's informer-backed cache
 * (or by file-name parsing in standalone mode). The log shipper calls it once per file, never per line,
 * and must keep working when it returns empty: a record that cannot be enriched is still shipped.
 */
public interface PodMetadata {

    Optional<PodInfo> byUid(String podUid);

    Optional<PodInfo> byName(String namespace, String podName);

    /** Container IDs are matched without their runtime prefix ({@code containerd://}, {@code docker://}). */
    Optional<PodInfo> byContainerId(String containerId);

    /** Lookup that never finds anything: for tests and for a shipper running without any metadata source. */
    PodMetadata NONE = new PodMetadata() {
        @Override
        public Optional<PodInfo> byUid(String podUid) {
            return Optional.empty();
        }

        @Override
        public Optional<PodInfo> byName(String namespace, String podName) {
            return Optional.empty();
        }

        @Override
        public Optional<PodInfo> byContainerId(String containerId) {
            return Optional.empty();
        }
    };
}
