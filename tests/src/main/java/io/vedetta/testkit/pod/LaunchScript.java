package io.vedetta.testkit.pod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shell script that turns fresh namespaces into the container, doing what runc does between the runtime's
 * {@code create} and the process's {@code exec}. It runs as root as PID 1 of a new PID namespace, in a new mount
 * namespace whose mounts are slaves of the host's (so {@code HostToContainer} can receive later host mounts), and:
 * joins the container's cgroup; sets the pod's host name (when it has its own UTS namespace); builds the root as an
 * overlay whose lower layer is this machine's {@code /} and whose upper layer is a tmpfs that dies with the
 * container, so nothing the container writes to its root reaches the host; adds the image's files; mounts
 * {@code /proc}, a read-only {@code /sys} and cgroup tree, a minimal {@code /dev}, masks and write-protects the parts of
 * {@code /proc} and {@code /sys} containerd masks for containers that are not privileged; binds the files the kubelet
 * manages ({@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}) and the volumes, parents first; makes
 * the root read-only when {@code readOnlyRootFilesystem}; pivots into it; and execs the container's command through
 * {@code setpriv} with its user, groups, capability sets and {@code no_new_privs}. Written next to the container's log so
 * a failed start can be read.
 */
final class LaunchScript {

    /** containerd's defaults for a container that is not privileged. */
    private static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    private static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    private static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");

    /** A bind mount of the container: a volume, or a file the kubelet manages. */
    record Mount(String containerPath, Path source, boolean readOnly, String propagation, boolean recursiveReadOnly) {
    }

    private LaunchScript() {
    }

    static String write(Path rootfs, Path layer, String hostname, boolean readOnlyRoot, Map<String, Path> imageFiles,
            List<Mount> mounts, List<Path> cgroupProcs, Credentials credentials, List<String> argv, String workingDir,
            String containerPath) {
        StringBuilder s = new StringBuilder();
        String r = q(rootfs.toString());
        s.append("#!/bin/sh\n# Written by the pod runner (io.vedetta.testkit.pod): the container's setup, as runc does it.\n");
        s.append("set -eu\nPATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
        for (Path procs : cgroupProcs) {
            s.append("echo $$ > ").append(q(procs.toString())).append('\n');
        }
        if (hostname != null) {
            s.append("echo ").append(q(hostname)).append(" > /proc/sys/kernel/hostname\n");
        }
        s.append("mount -t tmpfs -o mode=0755 vedetta-layer ").append(q(layer.toString())).append('\n');
        s.append("mkdir ").append(q(layer + "/upper")).append(' ').append(q(layer + "/work")).append('\n');
        s.append("mount -t overlay -o ").append(q("lowerdir=/,upperdir=" + layer + "/upper,workdir=" + layer + "/work"))
                .append(" vedetta-rootfs ").append(r).append('\n');
        s.append("R=").append(r).append('\n');

        s.append("# the image's files\n");
        imageFiles.forEach((path, source) -> bind(s, path, source, true, "None", true, false));

        s.append("# kernel file systems\n");
        s.append("mount -t proc -o nosuid,nodev,noexec proc \"$R/proc\"\n");
        s.append("mount -t sysfs -o ro,nosuid,nodev,noexec sysfs \"$R/sys\"\n");
        s.append("mount --rbind /sys/fs/cgroup \"$R/sys/fs/cgroup\"\n");
        for (String cgroupMount : cgroupMounts()) {
            s.append("mount -o remount,bind,ro \"$R\"").append(q(cgroupMount)).append('\n');
        }
        s.append("mount -t tmpfs -o nosuid,mode=0755,size=65536k tmpfs \"$R/dev\"\n");
        for (String device : DEVICES) {
            s.append("touch \"$R/dev/").append(device).append("\" && mount --bind /dev/").append(device)
                    .append(" \"$R/dev/").append(device).append("\"\n");
        }
        s.append("mkdir \"$R/dev/pts\" \"$R/dev/shm\" \"$R/dev/mqueue\"\n");
        s.append("mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts \"$R/dev/pts\"\n");
        s.append("ln -s pts/ptmx \"$R/dev/ptmx\"\n");
        s.append("mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm \"$R/dev/shm\"\n");
        s.append("mount -t mqueue -o nosuid,nodev,noexec mqueue \"$R/dev/mqueue\"\n");
        s.append("ln -s /proc/self/fd \"$R/dev/fd\"; ln -s /proc/self/fd/0 \"$R/dev/stdin\"\n");
        s.append("ln -s /proc/self/fd/1 \"$R/dev/stdout\"; ln -s /proc/self/fd/2 \"$R/dev/stderr\"\n");
        for (String path : MASKED) {
            s.append("if [ -d \"$R").append(path).append("\" ]; then mount -t tmpfs -o ro,nosuid,nodev,noexec tmpfs \"$R")
                    .append(path).append("\"; elif [ -e \"$R").append(path).append("\" ]; then mount --bind /dev/null \"$R")
                    .append(path).append("\"; fi\n");
        }
        for (String path : READ_ONLY) {
            s.append("if [ -e \"$R").append(path).append("\" ]; then mount --bind \"$R").append(path).append("\" \"$R")
                    .append(path).append("\" && mount -o remount,bind,ro \"$R").append(path).append("\"; fi\n");
        }

        s.append("# the kubelet's files and the volumes, parents first\n");
        mounts.stream().sorted(Comparator.comparingLong(m -> m.containerPath().chars().filter(c -> c == '/').count()))
                .forEach(m -> bind(s, m.containerPath(), m.source(), m.readOnly(), m.propagation(), false,
                        m.recursiveReadOnly()));
        if (readOnlyRoot) {
            s.append("mount -o remount,bind,ro \"$R\"\n");
        }
        s.append("cd \"$R\"\npivot_root . .\numount -l .\ncd ").append(q(workingDir)).append('\n');
        s.append(containerPath == null ? "unset PATH\n" : "PATH=" + q(containerPath) + "\n");
        s.append("exec /usr/bin/setpriv ").append(credentials.setprivArguments().stream().map(LaunchScript::q)
                .collect(Collectors.joining(" "))).append(" -- ")
                .append(argv.stream().map(LaunchScript::q).collect(Collectors.joining(" "))).append('\n');
        return s.toString();
    }

    /**
     * A bind mount as runc makes it: recursive, so the source's sub-mounts come along, and read-only at its top only
     * unless {@code recursiveReadOnly}, which remounts every sub-mount read-only too (a read-only bind is not recursive
     * before Linux's mount_setattr, and Kubernetes asks for it only with {@code recursiveReadOnly}).
     */
    private static void bind(StringBuilder s, String containerPath, Path source, boolean readOnly, String propagation,
            boolean imageFile, boolean recursiveReadOnly) {
        String target = "\"$R\"" + q(inRoot(containerPath));
        if (Files.isDirectory(source)) {
            s.append("mkdir -p ").append(target).append('\n');
        } else {
            s.append("mkdir -p \"$(dirname ").append(target).append(")\" && touch ").append(target).append('\n');
        }
        s.append("mount --rbind ").append(q(source.toString())).append(' ').append(target).append('\n');
        if (readOnly) {
            s.append("mount -o remount,bind,ro ").append(target).append('\n');
        }
        if (recursiveReadOnly) {
            s.append("T=").append(target).append("; awk -v t=\"$T\" '$5 == t || index($5, t \"/\") == 1 { print $5 }'")
                    .append(" /proc/self/mountinfo | while read -r m; do mount -o remount,bind,ro \"$m\"; done\n");
        }
        if (!imageFile) {
            s.append("mount ").append("HostToContainer".equals(propagation) ? "--make-rslave " : "--make-rprivate ")
                    .append(target).append('\n');
        }
    }

    /**
     * Where {@code path} is inside the container's root, with the image's symbolic links followed within that root, as
     * runc's securejoin does: before the pivot an absolute link (Debian's {@code /var/run -> /run}) would otherwise lead
     * the mount to this machine's own directory. The image is this machine's file system, so its links are read here;
     * links inside volumes mounted earlier are not followed.
     */
    static String inRoot(String path) {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path candidate = Path.of("/" + String.join("/", done)).resolve(part);
            if (!Files.isSymbolicLink(candidate)) {
                done.add(part);
                continue;
            }
            if (++links > 40) {
                throw new PodStartException("too many symbolic links in container path " + path);
            }
            String target;
            try {
                target = Files.readSymbolicLink(candidate).toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (target.startsWith("/")) {
                done.clear();
            }
            List<String> parts = List.of(target.split("/"));
            for (int i = parts.size() - 1; i >= 0; i--) {
                todo.addFirst(parts.get(i));
            }
        }
        return "/" + String.join("/", done);
    }

    /** The cgroup hierarchies under /sys/fs/cgroup, each remounted read-only in the container as runc does. */
    private static List<String> cgroupMounts() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && (f[4].equals("/sys/fs/cgroup") || f[4].startsWith("/sys/fs/cgroup/"))) {
                    out.add(f[4]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Single-quotes {@code text} for sh. */
    static String q(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
