package io.vedetta.agent.metrics.cgroup;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a kubepods cgroup id says about its pod and container, for both kubelet cgroup drivers:
 * cgroupfs {@code /kubepods/burstable/pod<uid>/<id>} and systemd
 * {@code /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope}
 * (also {@code docker-} and {@code crio-} scopes). {@code containerId} is empty for the pod's own cgroup.
 */
record KubepodsPath(String podUid, Optional<String> containerId) {

    private static final Pattern POD = Pattern.compile("^(?:kubepods(?:-[a-z]+)?-)?pod([0-9a-f][0-9a-f_-]*)(?:\\.slice)?$");
    private static final Pattern CONTAINER =
            Pattern.compile("^(?:(?:cri-containerd|docker|crio)-)?([0-9a-f]{64})(?:\\.scope)?$");

    /** Empty for QoS-class cgroups, runtime helper cgroups ({@code crio-conmon-*}) and anything else. */
    static Optional<KubepodsPath> parse(String id) {
        String[] segments = id.substring(1).split("/");
        for (int i = 1; i < segments.length; i++) {
            Matcher pod = POD.matcher(segments[i]);
            if (!pod.matches()) {
                continue;
            }
            String uid = pod.group(1).replace('_', '-');
            if (i == segments.length - 1) {
                return Optional.of(new KubepodsPath(uid, Optional.empty()));
            }
            Matcher container = CONTAINER.matcher(segments[i + 1]);
            return i + 1 == segments.length - 1 && container.matches()
                    ? Optional.of(new KubepodsPath(uid, Optional.of(container.group(1))))
                    : Optional.empty();
        }
        return Optional.empty();
    }
}
