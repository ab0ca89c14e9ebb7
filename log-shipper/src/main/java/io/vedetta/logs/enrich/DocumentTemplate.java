package io.vedetta.logs.enrich;

import io.vedetta.pods.PodInfo;
import java.util.Optional;

/**
 * The part of every document of one file that does not change from record to record: the layout and the
 * metadata fields, built when the file's pod is looked up. Replaced, never changed, when the pod is found later.
 *
 * @param bytes the same as UTF-8 JSON, for writing documents without a generator; null when that cannot be done
 */
record DocumentTemplate(
        DocumentLayout layout,
        String jsonField,
        ContainerRef source,
        Optional<PodInfo> pod,
        Fields metadata,
        DocumentBytes bytes) {

    DocumentTemplate(DocumentLayout layout, String jsonField, ContainerRef source, Optional<PodInfo> pod,
            Fields metadata) {
        this(layout, jsonField, source, pod, metadata, DocumentBytes.of(layout, jsonField, metadata));
    }

    boolean enriched() {
        return pod.isPresent();
    }
}
