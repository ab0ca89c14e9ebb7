package io.vedetta.testkit.pod;

import io.vedetta.testkit.Http;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A pod the runner started on a {@link PodNode}, and the kubelet's work for it while it runs: its container restarted
 * whenever it exits (restartPolicy Always, with the kubelet's back-off: at once, then 10 s doubling up to 5 min),
 * its liveness probe killing it after {@code failureThreshold} failures, its readiness probe deciding
 * {@link #ready()}, and deletion ({@link #stop()}) sending SIGTERM, then SIGKILL after the grace period. What a test
 * needs of it: the kubelet's view (ready, restarts, last exit), HTTP to the pod as the kubelet reaches it
 * ({@link #get(String)}), {@code kubectl exec} ({@link #exec(String...)}), and the container's process.
 */
public final class RunningPod implements AutoCloseable {

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final PodNode node;
    private final PodSandbox sandbox;
    private final ContainerSpec container;
    private final ScheduledExecutorService probes;
    private final Thread supervisor;
    private final Object lock = new Object();
    /** Held while the pod is deleted, so a second caller (a shutdown hook, say) waits for the first. */
    private final Object stopLock = new Object();
    private boolean stopped;
    private volatile ContainerProcess current;
    private volatile boolean stopping;
    private volatile boolean ready;
    private volatile int restarts;
    private volatile ContainerExit lastExit;
    private volatile String lastFailure;
    private final List<ScheduledFuture<?>> probeTasks = new ArrayList<>();

    private RunningPod(PodNode node, PodSandbox sandbox, ContainerSpec container) {
        this.node = node;
        this.sandbox = sandbox;
        this.container = container;
        this.probes = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "kubelet-probes-" + sandbox.name());
            thread.setDaemon(true);
            return thread;
        });
        this.supervisor = new Thread(this::supervise, "kubelet-" + sandbox.name());
        this.supervisor.setDaemon(true);
    }

    static RunningPod start(PodNode node, PodManifest manifest) {
        SupportedFields.check(manifest.template());
        PodSpec spec = Manifests.podSpec(manifest.template());
        Manifests.checkPodValues(spec, node.labels());
        if (spec.getContainers() == null || spec.getContainers().size() != 1) {
            throw new UnsupportedPodSpecException("the pod runner runs pods of exactly one container");
        }
        PodSandbox sandbox = PodSandbox.create(node, manifest, spec);
        try {
            ContainerSpec container = ContainerSpec.resolve(node, sandbox, spec, spec.getContainers().get(0));
            RunningPod pod = new RunningPod(node, sandbox, container);
            pod.launchFirst();
            return pod;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /** The first start runs on the caller's thread, so a container that cannot start at all fails the call. */
    private void launchFirst() {
        current = launch();
        supervisor.start();
    }

    private ContainerProcess launch() {
        ContainerProcess process = container.start(sandbox, restarts);
        schedule(process);
        return process;
    }

    private void supervise() {
        while (true) {
            ContainerProcess process = current;
            ContainerExit exit = process.awaitExit();
            cancelProbes();
            ready = false;
            lastExit = exit;
            synchronized (lock) {
                if (stopping) {
                    lock.notifyAll();
                    return;
                }
            }
            Duration backoff = backoff(process);
            if (!sleepUnlessStopping(backoff)) {
                return;
            }
            try {
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                    restarts++;
                    current = launch();
                }
            } catch (RuntimeException e) {
                lastFailure = e.getMessage();
                if (!sleepUnlessStopping(FIRST_BACKOFF)) {
                    return;
                }
            }
        }
    }

    /** The kubelet restarts a crashed container at once the first time, then backs off, resetting after 10 min of running. */
    private Duration backoff(ContainerProcess process) {
        if (restarts == 0 || Duration.between(process.startedAt(), Instant.now()).compareTo(Duration.ofMinutes(10)) > 0) {
            return Duration.ZERO;
        }
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(restarts - 1, 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    private boolean sleepUnlessStopping(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (lock) {
            while (!stopping && System.nanoTime() < deadline) {
                try {
                    lock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !stopping;
        }
    }

    private void schedule(ContainerProcess process) {
        synchronized (probeTasks) {
            Probe readiness = container.readiness();
            if (readiness == null) {
                ready = true;
            } else {
                ProbeState state = new ProbeState();
                probeTasks.add(probes.scheduleWithFixedDelay(() -> {
                    boolean ok = probe(readiness);
                    if (state.record(ok, readiness)) {
                        ready = ok;
                    }
                }, readiness.initialDelay().toMillis(), readiness.period().toMillis(), TimeUnit.MILLISECONDS));
            }
            Probe liveness = container.liveness();
            if (liveness != null) {
                ProbeState state = new ProbeState();
                probeTasks.add(probes.scheduleWithFixedDelay(() -> {
                    if (state.record(probe(liveness), liveness) && state.failing) {
                        lastFailure = "Liveness probe failed " + liveness.failureThreshold() + " times: killed and restarted";
                        Duration grace = Duration.ofSeconds(liveness.terminationGracePeriodSeconds() != null
                                ? liveness.terminationGracePeriodSeconds() : sandbox.gracePeriodSeconds());
                        cancelProbes();
                        process.terminate(grace);
                    }
                }, liveness.initialDelay().toMillis(), liveness.period().toMillis(), TimeUnit.MILLISECONDS));
            }
        }
    }

    private void cancelProbes() {
        synchronized (probeTasks) {
            probeTasks.forEach(task -> task.cancel(false));
            probeTasks.clear();
        }
    }

    private boolean probe(Probe probe) {
        try {
            PodHttp.Response response = PodHttp.get(sandbox.connector(), new InetSocketAddress(sandbox.podIp(), probe.port()),
                    probe.path(), probe.headers(), probe.timeout());
            return response.status() >= 200 && response.status() < 400;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Consecutive results of one probe; {@link #record} says when they cross a threshold and the result flips. */
    private static final class ProbeState {
        private int successes;
        private int failures;
        private boolean failing = true;

        boolean record(boolean ok, Probe probe) {
            if (ok) {
                failures = 0;
                successes++;
                if (failing && successes >= probe.successThreshold()) {
                    failing = false;
                    return true;
                }
            } else {
                successes = 0;
                failures++;
                if ((!failing || failures == probe.failureThreshold()) && failures >= probe.failureThreshold()) {
                    failing = true;
                    return true;
                }
            }
            return false;
        }
    }

    /** Waits until the readiness probe passes; fails with what the kubelet would show when it does not in time. */
    public RunningPod awaitReady(Duration timeout) {
        if (!Http.await(timeout, () -> ready)) {
            throw new PodStartException("pod " + sandbox.namespace() + "/" + sandbox.name() + " not ready within "
                    + timeout + " (" + status() + "); the container's log " + sandbox.log() + " ends with:\n"
                    + ContainerProcess.tail(sandbox.log(), 40));
        }
        return this;
    }

    /** What {@code kubectl get pod} and {@code describe} would say: readiness, restarts, last exit, last failure. */
    public String status() {
        ContainerExit exit = lastExit;
        return "ready=" + ready + ", restarts=" + restarts + (exit == null ? "" : ", last exit " + exit.code() + " ("
                + exit.reason() + ")") + (lastFailure == null ? "" : ", " + lastFailure);
    }

    public boolean ready() {
        return ready;
    }

    public int restarts() {
        return restarts;
    }

    /** How the container last ended, or null while it never has. */
    public ContainerExit lastExit() {
        return lastExit;
    }

    public String name() {
        return sandbox.name();
    }

    public String namespace() {
        return sandbox.namespace();
    }

    public String podIp() {
        return sandbox.podIp();
    }

    /** The status.hostIP the pod was given (its HOST_IP with the chart). */
    public String hostIp() {
        return sandbox.hostIp();
    }

    /** The port the container declares under {@code name}. */
    public int port(String name) {
        return container.port(name);
    }

    /** The container's init process on this machine (the JVM for the agent), for /proc/&lt;pid&gt;/status and signals. */
    public long containerPid() {
        return current.pid();
    }

    /** The container's output, all of its starts. */
    public Path log() {
        return sandbox.log();
    }

    /** The last {@code lines} lines of the container's output. */
    public String logTail(int lines) {
        return ContainerProcess.tail(sandbox.log(), lines);
    }

    /** The pod's own directory on the node: its volumes, the kubelet's files, the containers' launch scripts. */
    public Path directory() {
        return sandbox.directory();
    }

    /** GET {@code path} on the container's first port, from the node as the kubelet reaches the pod (30 s to answer). */
    public HttpResult get(String path) {
        return get(container.firstPort(), path);
    }

    public HttpResult get(int port, String path) {
        try {
            PodHttp.Response response = PodHttp.get(sandbox.connector(), new InetSocketAddress(sandbox.podIp(), port),
                    path, Map.of(), Duration.ofSeconds(30));
            return new HttpResult(response.status(), response.body());
        } catch (IOException e) {
            return new HttpResult(-1, e.toString());
        }
    }

    /** Status and body of a GET; status -1 when nothing answered. */
    public record HttpResult(int status, String body) {
    }

    /** Runs {@code command} in the container as {@code kubectl exec} does: its namespaces, user and capabilities. */
    public ExecResult exec(String... command) {
        return container.exec(sandbox, current.pid(), List.of(command));
    }

    public record ExecResult(int exit, String output) {
    }

    /** Sends {@code signal} to the container's init: 19 (SIGSTOP) freezes it as a hung process would be. */
    public void signal(int signal) {
        current.signal(signal);
    }

    /** The container dies at once (SIGKILL), as on a crash; the kubelet restarts it. */
    public void killContainer() {
        current.signal(9);
    }

    /** The container is stopped as the kubelet stops it (SIGTERM, grace, SIGKILL), then restarted by the restart policy. */
    public ContainerExit stopContainer() {
        ContainerProcess process = current;
        cancelProbes();
        return process.terminate(Duration.ofSeconds(sandbox.gracePeriodSeconds()));
    }

    /** Waits until the container was restarted {@code count} times in all and runs again. */
    public RunningPod awaitRestarts(int count, Duration timeout) {
        if (!Http.await(timeout, () -> restarts >= count && current.isAlive())) {
            throw new PodStartException("pod " + sandbox.name() + " did not reach " + count + " restarts within "
                    + timeout + " (" + status() + ")");
        }
        return this;
    }

    /**
     * Deletes the pod: SIGTERM to the container, SIGKILL after {@code terminationGracePeriodSeconds}, then its
     * sandbox (network, volumes, cgroup) goes. Returns how the container ended.
     */
    public ContainerExit stop() {
        synchronized (stopLock) {
            if (!stopped) {
                stopped = true;
                lastExit = terminate();
            }
            return lastExit;
        }
    }

    /**
     * The pod's node dies under it: the container is killed at once (SIGKILL, no grace period, so nothing of its
     * shutdown runs) and nothing restarts it, as a container of a lost node is never restarted there; then the
     * sandbox goes. Returns how the container ended.
     */
    public ContainerExit killWithNode() {
        synchronized (stopLock) {
            if (!stopped) {
                stopped = true;
                lastExit = terminate(Duration.ZERO);
            }
            return lastExit;
        }
    }

    private ContainerExit terminate() {
        return terminate(Duration.ofSeconds(sandbox.gracePeriodSeconds()));
    }

    private ContainerExit terminate(Duration grace) {
        ContainerProcess process;
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            process = current;
        }
        cancelProbes();
        probes.shutdownNow();
        ContainerExit exit = process == null ? null : grace.isZero() ? process.kill() : process.terminate(grace);
        try {
            supervisor.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sandbox.close();
        node.forget(this);
        return exit;
    }

    @Override
    public void close() {
        stop();
    }

    /** The container of the pod, resolved against its image and the node: what each start runs, as whom, with what. */
    record ContainerSpec(Container spec, ContainerImage image, Credentials credentials, boolean readOnlyRoot,
            Map<String, String> env, List<String> argv, String workingDir, List<LaunchScript.Mount> mounts,
            Probe liveness, Probe readiness, Cgroup cgroup) {

        static ContainerSpec resolve(PodNode node, PodSandbox sandbox, PodSpec pod, Container container) {
            ContainerImage image = node.image(container.getImage());
            SecurityContext sc = container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
            PodSecurityContext psc = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
            Manifests.checkSecurityValues(sc, psc);
            Long uid = first(sc.getRunAsUser(), psc.getRunAsUser(), image.user(), 0L);
            Long explicitGid = first(sc.getRunAsGroup(), psc.getRunAsGroup(), null, null);
            long gid = explicitGid != null ? explicitGid : uid.equals(image.user()) && image.group() != null ? image.group() : 0L;
            if (Boolean.TRUE.equals(first(sc.getRunAsNonRoot(), psc.getRunAsNonRoot(), null, null)) && uid == 0) {
                throw new PodStartException("CreateContainerConfigError: container has runAsNonRoot and image will run as root");
            }
            Credentials credentials = new Credentials(uid, gid, Credentials.capabilities(
                    sc.getCapabilities() == null ? null : sc.getCapabilities().getDrop(),
                    sc.getCapabilities() == null ? null : sc.getCapabilities().getAdd()),
                    Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()));
            Map<String, String> env = sandbox.environment(image, container, uid);
            List<String> argv = Manifests.command(container, image, env);
            boolean readOnlyRoot = Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem());
            List<LaunchScript.Mount> mounts = new ArrayList<>(sandbox.kubeletMounts(readOnlyRoot));
            List<VolumeMount> volumeMounts = container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
            for (VolumeMount mount : volumeMounts) {
                Volumes.Prepared volume = sandbox.volume(mount.getName());
                String propagation = mount.getMountPropagation() == null ? "None" : mount.getMountPropagation();
                if (!propagation.equals("None") && !propagation.equals("HostToContainer")) {
                    throw new UnsupportedPodSpecException("the pod runner does not support mountPropagation " + propagation);
                }
                boolean readOnly = volume.alwaysReadOnly() || Boolean.TRUE.equals(mount.getReadOnly());
                mounts.add(new LaunchScript.Mount(mount.getMountPath(), volume.source(), readOnly, propagation,
                        recursiveReadOnly(mount, readOnly, propagation)));
            }
            String workingDir = container.getWorkingDir() != null ? container.getWorkingDir() : image.workingDir();
            Cgroup cgroup = Cgroup.create(sandbox.id(), container.getResources());
            sandbox.onClose(cgroup);
            return new ContainerSpec(container, image, credentials, readOnlyRoot,
                    env, argv, workingDir, List.copyOf(mounts),
                    Probe.of(container.getLivenessProbe(), container.getPorts(), "livenessProbe"),
                    Probe.of(container.getReadinessProbe(), container.getPorts(), "readinessProbe"), cgroup);
        }

        ContainerProcess start(PodSandbox sandbox, int attempt) {
            Path dir = sandbox.directory().resolve("containers").resolve(sandbox.id() + "-" + spec.getName() + "-" + attempt);
            try {
                Files.createDirectories(dir.resolve("rootfs"));
                Files.createDirectories(dir.resolve("layer"));
                Path script = Files.writeString(dir.resolve("launch.sh"), LaunchScript.write(dir.resolve("rootfs"),
                        dir.resolve("layer"), sandbox.ownUts() ? sandbox.hostname() : null, readOnlyRoot, image.files(),
                        mounts, cgroup.procsFiles(), credentials, argv, workingDir, env.get("PATH")));
                Files.writeString(sandbox.log(), "---- container " + spec.getName() + " start " + attempt + " at "
                        + Instant.now() + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                return ContainerProcess.start(script, sandbox.netns(), sandbox.hostPid(), sandbox.hostIpc(),
                        !sandbox.ownUts(), env, sandbox.log(), cgroup, argv.get(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ExecResult exec(PodSandbox sandbox, long pid, List<String> command) {
            List<String> line = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(pid), "--mount", "--uts",
                    "--ipc", "--net", "--pid", "--root", "--wd", "--", "/usr/bin/setpriv"));
            line.addAll(credentials.setprivArguments());
            line.add("--");
            line.addAll(command);
            try {
                ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
                builder.environment().clear();
                builder.environment().putAll(env);
                Process process = builder.start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new ExecResult(process.waitFor(), output);
            } catch (IOException e) {
                throw new UncheckedIOException("exec in pod " + sandbox.name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ExecResult(-1, "interrupted");
            }
        }

        /** The API server's rule: recursive read-only needs a read-only mount without propagation. */
        private static boolean recursiveReadOnly(VolumeMount mount, boolean readOnly, String propagation) {
            String mode = mount.getRecursiveReadOnly() == null ? "Disabled" : mount.getRecursiveReadOnly();
            if (mode.equals("Disabled")) {
                return false;
            }
            if (!mode.equals("Enabled") && !mode.equals("IfPossible")) {
                throw new UnsupportedPodSpecException("recursiveReadOnly " + mode + " is not a Kubernetes value");
            }
            if (!readOnly || !propagation.equals("None")) {
                throw new UnsupportedPodSpecException("recursiveReadOnly of " + mount.getMountPath()
                        + " needs readOnly: true and mountPropagation None, as the API server requires");
            }
            return true;
        }

        int port(String name) {
            return (spec.getPorts() == null ? List.<io.fabric8.kubernetes.api.model.ContainerPort>of() : spec.getPorts())
                    .stream().filter(p -> name.equals(p.getName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the container declares no port " + name))
                    .getContainerPort();
        }

        int firstPort() {
            if (spec.getPorts() == null || spec.getPorts().isEmpty()) {
                throw new IllegalStateException("the container declares no port; use get(port, path)");
            }
            return spec.getPorts().get(0).getContainerPort();
        }

        @SafeVarargs
        private static <T> T first(T... candidates) {
            for (T candidate : candidates) {
                if (candidate != null) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
