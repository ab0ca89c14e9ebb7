package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading a pod template into the Kubernetes model, and the checks of field values the runner honours only in part. */
final class Manifests {

    private static final Logger LOG = LoggerFactory.getLogger(Manifests.class);
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Set<String> DNS_POLICIES = Set.of("ClusterFirst", "ClusterFirstWithHostNet", "Default");
    private static volatile boolean seccompReported;

    private Manifests() {
    }

    static PodSpec podSpec(JsonNode template) {
        return SERIALIZATION.unmarshal(template.path("spec").toString(), PodSpec.class);
    }

    static void checkPodValues(PodSpec spec, Map<String, String> nodeLabels) {
        if (spec.getRestartPolicy() != null && !spec.getRestartPolicy().equals("Always")) {
            throw new UnsupportedPodSpecException("the pod runner restarts containers always, not " + spec.getRestartPolicy());
        }
        if (spec.getDnsPolicy() != null && !DNS_POLICIES.contains(spec.getDnsPolicy())) {
            throw new UnsupportedPodSpecException("the pod runner does not support dnsPolicy " + spec.getDnsPolicy());
        }
        if (spec.getNodeSelector() != null) {
            spec.getNodeSelector().forEach((key, value) -> {
                if (!value.equals(nodeLabels.get(key))) {
                    throw new PodStartException("the pod's nodeSelector " + key + "=" + value + " does not match the node"
                            + " (labels " + nodeLabels + "): no DaemonSet pod would be placed there");
                }
            });
        }
    }

    static void checkSecurityValues(SecurityContext container, PodSecurityContext pod) {
        if (Boolean.TRUE.equals(container.getPrivileged())) {
            throw new UnsupportedPodSpecException("the pod runner does not run privileged containers");
        }
        for (SeccompProfile profile : new SeccompProfile[] {container.getSeccompProfile(), pod.getSeccompProfile()}) {
            if (profile == null || "Unconfined".equals(profile.getType())) {
                continue;
            }
            if (!"RuntimeDefault".equals(profile.getType())) {
                throw new UnsupportedPodSpecException("the pod runner does not support seccompProfile " + profile.getType());
            }
            if (!seccompReported) {
                seccompReported = true;
                LOG.warn("seccompProfile RuntimeDefault is accepted but NOT applied by the pod runner: util-linux cannot"
                        + " load a seccomp filter, so system calls the runtime's default profile blocks are not blocked here");
            }
        }
    }

    /** Kubernetes' rules: command replaces the entrypoint, args the image's cmd; {@code $(VAR)} expanded in both. */
    static List<String> command(Container container, ContainerImage image, Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            argv.addAll(container.getCommand());
            argv.addAll(container.getArgs() == null ? List.of() : container.getArgs());
        } else {
            argv.addAll(image.entrypoint());
            argv.addAll(container.getArgs() != null && !container.getArgs().isEmpty() ? container.getArgs() : image.cmd());
        }
        if (argv.isEmpty()) {
            throw new PodStartException("CreateContainerError: no command: the container sets none and image "
                    + image.repository() + " has no entrypoint");
        }
        return argv.stream().map(arg -> ContainerEnv.expand(arg, env::get)).toList();
    }
}
