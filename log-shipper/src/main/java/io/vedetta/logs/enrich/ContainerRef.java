package io.vedetta.logs.enrich;

/**
 * What a container log file's name tells about its container ({@code /var/log/containers/<pod>_<namespace>_
 * <container>-<id>.log}): the key for the pod metadata lookup, and what a record carries when that lookup
 * finds nothing. {@code containerId} is bare (no runtime prefix); {@code file} is the path the file is read by
 * (ECS' {@code log.file.path}); any field may be empty, never null.
 */
public record ContainerRef(String namespace, String pod, String container, String containerId, String file) {

    public ContainerRef {
        namespace = namespace == null ? "" : namespace;
        pod = pod == null ? "" : pod;
        container = container == null ? "" : container;
        containerId = containerId == null ? "" : containerId;
        file = file == null ? "" : file;
    }

    /** A reference whose file path is not known or not needed. */
    public ContainerRef(String namespace, String pod, String container, String containerId) {
        this(namespace, pod, container, containerId, "");
    }
}
