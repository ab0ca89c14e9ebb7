package io.vedetta.logs.enrich;

import io.vedetta.pods.PodInfo;
import java.util.Map;

/** Field names of one {@link FieldStyle}: where the message and stream go, and the per-file metadata fields. */
interface DocumentLayout {

    String messageField();

    String streamField();

    /**
     * The top-level metadata fields of every record of one container, built once per file.
     *
     * @param pod       null when the pod is not known: only what the file name gives is written
     * @param container null when the pod or its container is not known
     * @param labels    keys already de-dotted; empty to leave labels out
     */
    Fields metadata(ContainerRef ref, PodInfo pod, PodInfo.ContainerInfo container, Map<String, String> labels,
            Map<String, String> annotations);

    static DocumentLayout of(FieldStyle style) {
        return style == FieldStyle.ECS ? new EcsLayout() : new FluentdLayout();
    }

    /**
     * fluentd kubernetes_metadata / Fluent Bit kubernetes filter names. The container ID goes where fluentd's filter
     * (fluent-plugin-kubernetes_metadata_filter) writes it, {@code docker.container_id}, whatever the runtime.
     */
    final class FluentdLayout implements DocumentLayout {
        @Override
        public String messageField() {
            return FieldStyle.FLUENTD.messageField();
        }

        @Override
        public String streamField() {
            return "stream";
        }

        @Override
        public Fields metadata(ContainerRef ref, PodInfo pod, PodInfo.ContainerInfo container,
                Map<String, String> labels, Map<String, String> annotations) {
            Fields.Builder k = Fields.builder()
                    .put("pod_name", pod != null ? pod.name() : ref.pod())
                    .put("namespace_name", pod != null ? pod.namespace() : ref.namespace())
                    .put("pod_id", pod != null ? pod.uid() : null)
                    .put("container_name", ref.container())
                    .put("container_image", container != null ? container.image() : null)
                    .put("container_image_id", container != null ? container.imageId() : null)
                    .put("host", pod != null ? pod.nodeName() : null)
                    .put("labels", Fields.builder().putAll(labels).build())
                    .put("annotations", Fields.builder().putAll(annotations).build());
            return Fields.builder()
                    .put("docker", Fields.builder().put("container_id", containerId(ref, container)).build())
                    .put("kubernetes", k.build()).build();
        }
    }

    /** Elastic Common Schema names, as Elastic Agent's Kubernetes integration writes them. */
    final class EcsLayout implements DocumentLayout {
        @Override
        public String messageField() {
            return FieldStyle.ECS.messageField();
        }

        @Override
        public String streamField() {
            return "stream";
        }

        @Override
        public Fields metadata(ContainerRef ref, PodInfo pod, PodInfo.ContainerInfo container,
                Map<String, String> labels, Map<String, String> annotations) {
            Fields k = Fields.builder()
                    .put("pod", Fields.builder()
                            .put("name", pod != null ? pod.name() : ref.pod())
                            .put("uid", pod != null ? pod.uid() : null).build())
                    .put("namespace", pod != null ? pod.namespace() : ref.namespace())
                    .put("node", Fields.builder().put("name", pod != null ? pod.nodeName() : null).build())
                    .put("container", Fields.builder().put("name", ref.container()).build())
                    .put("labels", Fields.builder().putAll(labels).build())
                    .put("annotations", Fields.builder().putAll(annotations).build())
                    .build();
            Fields c = Fields.builder()
                    .put("id", containerId(ref, container))
                    .put("image", Fields.builder().put("name", container != null ? container.image() : null).build())
                    .put("runtime", container != null ? container.runtime() : null)
                    .build();
            Fields log = Fields.builder().put("file", Fields.builder().put("path", ref.file()).build()).build();
            return Fields.builder().put("log", log).put("kubernetes", k).put("container", c).build();
        }
    }

    /** The file name always has the id; the pod status has it too once the container runs. */
    private static String containerId(ContainerRef ref, PodInfo.ContainerInfo container) {
        return !ref.containerId().isEmpty() || container == null ? ref.containerId() : container.containerId();
    }
}
