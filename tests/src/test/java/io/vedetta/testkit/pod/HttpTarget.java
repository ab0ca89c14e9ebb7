package io.vedetta.testkit.pod;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * A container running test resource {@code pod/http-target.pl}, a tiny HTTP server on port 8080 that answers 200, or
 * 500 for a path while {@code /tmp/fail<path>} exists in its (writable, per start) root: the probes' target.
 */
final class HttpTarget {

    private HttpTarget() {
    }

    static PodManifest pod(String name, String containerYaml, String specYaml) {
        return RunnerNode.pod(name, "[perl, /opt/target/http-target.pl, \"8080\"]", """
                ports: [{name: http, containerPort: 8080}]
                volumeMounts: [{name: target, mountPath: /opt/target, readOnly: true}]
                """ + containerYaml, "volumes: [{name: target, hostPath: {path: " + HOST_PATH + ", type: Directory}}]\n"
                + specYaml);
    }

    /** The host path the pod mounts; {@link RunnerNode#create} maps it to the test resources. */
    static final String HOST_PATH = "/srv/http-target";

    static Path resources() {
        try {
            return Path.of(HttpTarget.class.getResource("/pod/http-target.pl").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
