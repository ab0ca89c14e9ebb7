package io.vedetta.e2e.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.pod.KubeletLogs;
import io.vedetta.testkit.pod.RunningPod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent run as the chart's pod, shipping logs, writes nothing but its state directory and /tmp: strace, attached
 * to every thread of its JVM while it works, sees every file it opens for writing, creates, renames or removes there
 * and nowhere else; the node's files outside the state directory are unchanged; and the only writable mounts its pod
 * declares are those two.
 */
class AgentPodWritesTest extends AgentPodTest {

    /** System calls that write a path: the path is the first quoted argument (both, for renames and links). */
    private static final String CALLS = "open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,"
            + "unlinkat,rmdir,link,linkat,symlink,symlinkat,truncate,chmod,fchmodat,chown,lchown,fchownat,mknod,mknodat";
    private static final Pattern CALL = Pattern.compile("^\\d+\\s+(\\w+)\\((.*)$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Mounts a runtime makes writable in every container: the container's own /proc and /dev. */
    private static final List<String> RUNTIME = List.of("/proc", "/dev");
    @Test
    void writesNothingButItsStateDirectoryAndTmp() throws Exception {
        Pod app = env.api.addRunningPod("logs-writes", "app-5f6d7c", "app", "app");
        Path file = env.logs.create(app, "app");
        KubeletLogs.append(file, AgentPodLogsTest.lines("a line", 30));
        Files.createDirectories(env.node.hostPath("/var/lib/vedetta"));
        Path nodeTree = env.node.directory().resolve("host");
        Map<String, String> before = snapshot(nodeTree);
        Path trace = Files.createTempFile(env.node.directory(), "strace-", ".txt");

        Set<String> written;
        try (RunningPod pod = env.startReady(Map.of())) {
            Process strace = new ProcessBuilder("strace", "-f", "-qq", "-e", "trace=" + CALLS, "-e", "signal=none",
                    "-o", trace.toString(), "-p", String.valueOf(pod.containerPid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                assertTrue(Http.await(Duration.ofSeconds(90), () -> env.documents("logs-writes", "app-5f6d7c") == 30));
                KubeletLogs.append(file, AgentPodLogsTest.lines("another line", 10));
                assertTrue(Http.await(Duration.ofSeconds(90), () -> env.documents("logs-writes", "app-5f6d7c") == 40));
                assertTrue(Http.await(Duration.ofSeconds(30), () -> env.position(file) == AgentPodLogsTest.fileSize(file)),
                        "the positions of all 40 lines are saved while strace watches");
            } finally {
                strace.destroy();
                strace.waitFor(30, TimeUnit.SECONDS);
            }

            Set<String> writableMounts = writableMounts(pod.containerPid());
            Set<String> declared = new TreeSet<>(writableMounts);
            declared.removeIf(m -> RUNTIME.stream().anyMatch(r -> m.equals(r) || m.startsWith(r + "/"))
                    || m.startsWith("/host/root/"));
            assertEquals(Set.of("/tmp", "/var/lib/vedetta"), declared, "writable mounts of the pod: " + writableMounts);
            written = writes(Files.readAllLines(trace));
        }

        assertTrue(written.stream().anyMatch(p -> p.startsWith("/var/lib/vedetta/positions.json")),
                () -> "strace saw the agent save its positions: " + written);
        Set<String> outside = new TreeSet<>(written);
        // The state directory itself counts as inside: making sure it exists is a mkdir of it (EEXIST).
        outside.removeIf(path -> path.startsWith("/tmp/") || path.equals("/var/lib/vedetta")
                || path.startsWith("/var/lib/vedetta/"));
        assertEquals(Set.of(), outside, "paths the agent wrote, or tried to: " + written);
        Map<String, String> after = snapshot(nodeTree);
        for (Map<String, String> tree : List.of(before, after)) {
            tree.keySet().removeIf(p -> p.startsWith("var/lib/vedetta/") || p.startsWith("var/log/"));
        }
        assertEquals(before, after, "the node's files outside the state directory and the logs");
    }

    /** Paths the traced calls wrote or tried to write (reads, and calls on descriptors, are not in the trace). */
    private static Set<String> writes(List<String> trace) {
        Set<String> out = new TreeSet<>();
        for (String line : trace) {
            Matcher call = CALL.matcher(line);
            if (!call.find()) {
                continue;
            }
            String name = call.group(1);
            String arguments = call.group(2);
            boolean opens = name.startsWith("open") || name.equals("creat");
            if (opens && !name.equals("creat") && !arguments.matches(".*O_(WRONLY|RDWR|CREAT|TRUNC|APPEND).*")) {
                continue;
            }
            Matcher path = QUOTED.matcher(arguments);
            while (path.find()) {
                String written = path.group(1);
                out.add(written.startsWith("/") ? written : "/" + written);
                if (opens) {
                    break;
                }
            }
        }
        return out;
    }

    /** Mount points of the process's mount namespace mounted read-write. */
    private static Set<String> writableMounts(long pid) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "mountinfo"))) {
            String[] f = line.split(" ");
            if (f[5].startsWith("rw")) {
                out.add(f[4]);
            }
        }
        return out;
    }

    /** Every file and directory under {@code root}: its path, with size, modification time and mode. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                if (Files.isSymbolicLink(path)) {
                    out.put(root.relativize(path).toString(), "-> " + Files.readSymbolicLink(path));
                } else {
                    out.put(root.relativize(path) + (Files.isDirectory(path) ? "/" : ""), Files.size(path) + " "
                            + Files.getLastModifiedTime(path) + " "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
                }
            }
        }
        return out;
    }
}
