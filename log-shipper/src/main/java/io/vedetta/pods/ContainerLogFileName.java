package io.vedetta.pods;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet encodes in a {@code /var/log/containers/<pod>_<namespace>_<container>-<id>.log} file name.
 * The log shipper uses it in both modes: to find a file's container ID for the informer-backed lookup, and as
 * the only metadata there is when the agent runs without the Kubernetes API.
 */
public record ContainerLogFileName(String podName, String namespace, String containerName, String containerId) {

    /*
     * Pod names are DNS subdomains (dots allowed, no underscores), namespaces and container names DNS labels,
     * so the underscores separate unambiguously; the last '-' before the 64-hex container ID ends the container
     * name, which may itself contain dashes.
     */
    private static final Pattern NAME = Pattern.compile(
            "(?<pod>[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)"
                    + "_(?<namespace>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)"
                    + "_(?<container>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)"
                    + "-(?<id>[0-9a-f]{64})\\.log");

    /** Empty when the file name does not follow the kubelet's pattern (the file is then shipped unenriched). */
    public static Optional<ContainerLogFileName> parse(Path file) {
        Path fileName = file.getFileName();
        if (fileName == null) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(fileName.toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ContainerLogFileName(
                m.group("pod"), m.group("namespace"), m.group("container"), m.group("id")));
    }
}
