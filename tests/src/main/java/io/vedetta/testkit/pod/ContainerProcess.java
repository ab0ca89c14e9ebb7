package io.vedetta.testkit.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One start of a container: {@code unshare} making its mount, PID, IPC (and UTS) namespaces, inside the pod's network
 * namespace when it has one, running the {@link LaunchScript} that ends in the container's command. The container's
 * process (PID 1 of its namespace, as the agent is with its image's exec-form entrypoint) is unshare's child; it is
 * signalled directly, as the runtime signals a container's init.
 */
final class ContainerProcess {

    private final Process unshare;
    private final long pid;
    private final Path log;
    private final Cgroup cgroup;
    private final long oomKillsBefore;
    private final Instant startedAt = Instant.now();
    private volatile boolean killed;
    private volatile ContainerExit exit;

    private ContainerProcess(Process unshare, long pid, Path log, Cgroup cgroup, long oomKillsBefore) {
        this.unshare = unshare;
        this.pid = pid;
        this.log = log;
        this.cgroup = cgroup;
        this.oomKillsBefore = oomKillsBefore;
    }

    static ContainerProcess start(Path script, String podNetns, boolean hostPid, boolean hostIpc, boolean hostUts,
            Map<String, String> env, Path log, Cgroup cgroup, String argv0) {
        List<String> command = new java.util.ArrayList<>();
        if (podNetns != null) {
            command.addAll(List.of("nsenter", "--net=/run/netns/" + podNetns, "--"));
        }
        command.addAll(List.of("unshare", "--mount", "--propagation", "slave", "--fork", "--kill-child"));
        if (!hostPid) {
            command.add("--pid");
        }
        if (!hostIpc) {
            command.add("--ipc");
        }
        if (!hostUts) {
            command.add("--uts");
        }
        command.addAll(List.of("--", "/bin/sh", script.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        long oomKills = cgroup.oomKills();
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new PodStartException("cannot start unshare (util-linux): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = process.toHandle().children().findFirst();
            if (child.isPresent() && execed(child.get().pid(), argv0)) {
                return new ContainerProcess(process, child.get().pid(), log, cgroup, oomKills);
            }
            if (!process.isAlive()) {
                break;
            }
            sleep(Duration.ofMillis(5));
        }
        process.destroyForcibly();
        throw new PodStartException("the container did not start (unshare exited " + (process.isAlive() ? "no child"
                : String.valueOf(process.exitValue())) + "); its log " + log + " ends with:\n" + tail(log, 20));
    }

    /**
     * Whether the launch script has handed over to the container's command (through setpriv): only then is the
     * container running, as the runtime reports it started after its exec. Until then the process is unshare's fork,
     * the shell running the script, or setpriv, none of which has the command's argv[0].
     */
    private static boolean execed(long pid, String argv0) {
        try {
            String[] argv = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).split("\0");
            return argv.length > 0 && argv[0].equals(argv0) && !(argv.length > 1 && argv[1].endsWith("launch.sh"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The container's init process as this machine's PID namespace sees it. */
    long pid() {
        return pid;
    }

    Instant startedAt() {
        return startedAt;
    }

    boolean isAlive() {
        return unshare.isAlive();
    }

    /** Signals the container's init: SIGTERM (15), SIGKILL (9), SIGSTOP (19), SIGCONT (18). */
    void signal(int signal) {
        if (signal == 9) {
            killed = true;
        }
        Shell.attempt("kill", "-" + signal, String.valueOf(pid));
    }

    /** SIGTERM, then SIGKILL after {@code grace}, as the kubelet stops a container; returns how it ended. */
    ContainerExit terminate(Duration grace) {
        signal(15);
        if (!waitFor(grace)) {
            signal(9);
            waitFor(Duration.ofSeconds(30));
        }
        return exit();
    }

    /** SIGKILL, and the exit once the process is gone. */
    ContainerExit kill() {
        signal(9);
        waitFor(Duration.ofSeconds(30));
        return exit();
    }

    boolean waitFor(Duration timeout) {
        try {
            return unshare.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Blocks until the container ended. */
    ContainerExit awaitExit() {
        try {
            unshare.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exit();
    }

    /**
     * How the container ended. unshare passes on its child's exit code and re-raises most signals it died of, but for
     * SIGKILL, which it cannot re-raise, it exits 1 after saying so; the kill is then told apart by who sent it: this
     * runner, or the kernel's OOM killer (the cgroup counts those).
     */
    synchronized ContainerExit exit() {
        if (exit == null && !unshare.isAlive()) {
            int code = unshare.exitValue();
            String reason = code == 0 ? "Completed" : "Error";
            boolean sigkill = code == 1 && tail(log, 2).contains("sigprocmask unblock failed");
            if (cgroup.oomKills() > oomKillsBefore) {
                code = 137;
                reason = "OOMKilled";
            } else if (killed || sigkill) {
                code = 137;
            }
            exit = new ContainerExit(code, reason, Instant.now());
        }
        return exit;
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
