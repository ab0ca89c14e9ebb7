package io.vedetta.testkit.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who the container's process is: its user and group, and its capabilities as containerd and runc set them. The
 * capability list goes into the bounding set; after the exec the kernel gives a process of UID 0 exactly its bounding
 * set as permitted and effective capabilities, and any other UID none, since Kubernetes sets no ambient (and, since
 * containerd 1.6.1, no inheritable) capabilities: that is why a capability added to a non-root container does nothing.
 * {@code no_new_privs} follows {@code allowPrivilegeEscalation: false}.
 */
record Credentials(long uid, long gid, Set<String> capabilities, boolean noNewPrivs) {

    /** containerd's default capabilities of a container that neither drops ALL nor is privileged. */
    static final Set<String> RUNTIME_DEFAULT = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
            "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

    /** The capabilities of a container that drops {@code drop} and adds {@code add} (names with or without CAP_). */
    static Set<String> capabilities(List<String> drop, List<String> add) {
        Set<String> dropped = normalized(drop);
        Set<String> out = new TreeSet<>(dropped.contains("ALL") ? Set.of() : RUNTIME_DEFAULT);
        out.removeAll(dropped);
        out.addAll(normalized(add));
        if (out.contains("ALL")) {
            throw new UnsupportedPodSpecException("the pod runner does not support capabilities.add: [ALL]");
        }
        return out;
    }

    private static Set<String> normalized(List<String> names) {
        Set<String> out = new TreeSet<>();
        for (String name : names == null ? List.<String>of() : names) {
            String upper = name.toUpperCase(Locale.ROOT);
            out.add(upper.startsWith("CAP_") ? upper.substring(4) : upper);
        }
        return out;
    }

    List<String> setprivArguments() {
        List<String> args = new ArrayList<>();
        args.add("--reuid=" + uid);
        args.add("--regid=" + gid);
        args.add("--clear-groups");
        args.add("--inh-caps=-all");
        args.add("--ambient-caps=-all");
        StringBuilder bounding = new StringBuilder("--bounding-set=-all");
        for (String capability : capabilities) {
            bounding.append(",+").append(capability.toLowerCase(Locale.ROOT));
        }
        args.add(bounding.toString());
        if (noNewPrivs) {
            args.add("--no-new-privs");
        }
        return args;
    }
}
