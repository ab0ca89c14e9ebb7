package io.vedetta.testkit.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test JVM that died without its shutdown hook (SIGKILL, a crashed fork) left behind: container processes,
 * network namespaces, cgroups and tmpfs mounts, all named with that JVM's PID ({@link #PREFIX}{@code <pid>-}). Removed
 * when the first node of the next run is made; a run that is still alive is never touched.
 */
final class Leftovers {

    static final String PREFIX = "vedetta-pod-";
    private static final Pattern OWNER = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-");

    private Leftovers() {
    }

    static void clean() {
        killContainers();
        for (String line : Shell.attempt("ip", "netns", "list").output().split("\n")) {
            String name = line.split(" ")[0];
            if (deadOwner(name)) {
                Shell.attempt("ip", "netns", "del", name);
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                if (dash > 0 && dash + 2 < f.length && deadOwner(f[dash + 2])) {
                    Shell.attempt("umount", "-l", f[4]);
                }
            }
        } catch (IOException e) {
            // nothing to clean when the mount table cannot be read
        }
        for (String controller : List.of("", "memory", "cpu")) {
            Path root = Path.of("/sys/fs/cgroup", controller);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> groups = Files.newDirectoryStream(root, PREFIX + "*")) {
                for (Path group : groups) {
                    if (deadOwner(group.getFileName().toString())) {
                        Files.deleteIfExists(group);
                    }
                }
            } catch (IOException e) {
                // a cgroup still in use is left alone
            }
        }
    }

    /** Container processes are unshare's children, started with a launch script under a directory named by the run. */
    private static void killContainers() {
        ProcessHandle.allProcesses().forEach(process -> {
            String command = commandLine(process.pid());
            if (command.contains("launch.sh") && deadOwner(command)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        });
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean deadOwner(String name) {
        Matcher m = OWNER.matcher(name);
        if (!m.find()) {
            return false;
        }
        long owner = Long.parseLong(m.group(1));
        return owner != ProcessHandle.current().pid() && ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
    }
}
