package io.vedetta.testkit.pod;

import io.vedetta.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes node on this machine, and its kubelet: pods are run with {@link #run(PodManifest)} as the kubelet and a
 * container runtime would run them, in Linux namespaces made here (see {@link RunningPod}, {@link LaunchScript}).
 *
 * <p>The node's file system is this machine's: {@code /}, {@code /proc} and {@code /sys} are the real ones, and every
 * other host path the pod mounts is a directory of a fake host tree under the node's directory
 * ({@code <dir>/host/var/log} for {@code /var/log}), which the test fills and inspects, unless
 * {@link #mapHostPath} maps it elsewhere. The node's network is this machine's for pods with {@code hostNetwork}
 * (the node's address is a loopback address of its own, {@link #hostIp()}, so several nodes and parallel runs never
 * collide); other pods get a network namespace each on a node network of the runner's making ({@link NodeNetwork}),
 * and reach the test's servers through {@link #forPods(InetSocketAddress)}. Images are not pulled: the container's
 * root is this machine's file system, read-only through an overlay, plus the image's files (the agent image runs the
 * packaged {@code node-agent/target/vedetta-agent.jar} with this JVM's JDK; see {@link ContainerImage}).
 *
 * <p>Everything runs as root: a test that needs a namespace this machine cannot make fails with the reason. What the
 * runner does not do as a runtime would is refused ({@link UnsupportedPodSpecException}), except seccomp, which it
 * accepts and does not apply (logged).
 */
public final class PodNode implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<PodNode> OPEN = new CopyOnWriteArrayList<>();
    private static final Set<String> REAL_HOST_PATHS = Set.of("/", "/proc", "/sys");

    static {
        Leftovers.clean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(PodNode::close), "pod-runner-teardown"));
    }

    private final String name;
    private final Path dir;
    private final String hostIp;
    private final Map<String, Path> hostPaths = new LinkedHashMap<>();
    private final List<ContainerImage> images = new ArrayList<>(List.of(ContainerImage.agent()));
    private final List<RunningPod> pods = new CopyOnWriteArrayList<>();
    private String apiServiceHost = "10.96.0.1";
    private int apiServicePort = 443;
    private String serviceAccountToken = "vedetta-test-service-account-token";
    private Path clusterCa;
    private NodeNetwork network;

    private PodNode(String name, Path dir, String hostIp) {
        this.name = name;
        this.dir = dir;
        this.hostIp = hostIp;
    }

    /**
     * Why this machine cannot run pods, if it cannot: the runner needs root, util-linux's namespace tools, iproute2
     * and overlayfs. Empty when it can (checked by making the namespaces once).
     */
    public static Optional<String> cannotRunPods() {
        if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
            return Optional.of("the pod runner needs root, and this JVM runs as "
                    + ProcessHandle.current().info().user().orElse("an unknown user"));
        }
        for (String tool : List.of("unshare", "nsenter", "setpriv", "pivot_root", "ip")) {
            if (Shell.attempt("sh", "-c", "command -v " + tool).exit() != 0) {
                return Optional.of(tool + " is missing (util-linux, iproute2)");
            }
        }
        Shell.Result namespaces = Shell.attempt("unshare", "--mount", "--pid", "--ipc", "--uts", "--net", "--fork", "true");
        if (namespaces.exit() != 0) {
            return Optional.of("this machine refuses new namespaces: " + namespaces.output().strip());
        }
        try {
            if (!Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n")) {
                return Optional.of("the kernel has no overlayfs, which the containers' roots are made of");
            }
        } catch (IOException e) {
            return Optional.of("cannot read /proc/filesystems: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** A node named {@code name} keeping its fake host tree and its pods' files under {@code dir}. */
    public static PodNode create(String name, Path dir) {
        int n = SEQUENCE.incrementAndGet();
        long pid = ProcessHandle.current().pid();
        try {
            Files.createDirectories(dir.resolve("host"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PodNode node = new PodNode(name, dir.toAbsolutePath(), "127.77." + (1 + pid % 250) + "." + (1 + n % 250));
        OPEN.add(node);
        return node;
    }

    public String name() {
        return name;
    }

    /** The node's address for pods on its network (status.hostIP): a loopback address no other node uses. */
    public String hostIp() {
        return hostIp;
    }

    public Path directory() {
        return dir;
    }

    public Map<String, String> labels() {
        return Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64");
    }

    /** Where host path {@code path} is: the real one for {@code /}, {@code /proc} and {@code /sys}, else the fake tree. */
    public Path hostPath(String path) {
        Path mapped = hostPaths.get(path);
        if (mapped != null) {
            return mapped;
        }
        if (REAL_HOST_PATHS.contains(path)) {
            return Path.of(path);
        }
        return dir.resolve("host").resolve(path.replaceFirst("^/+", ""));
    }

    /** Serves host path {@code path} (exactly that path, as a volume names it) from {@code source}. */
    public PodNode mapHostPath(String path, Path source) {
        hostPaths.put(path, source.toAbsolutePath());
        return this;
    }

    /** Where the pods' KUBERNETES_SERVICE_HOST and _PORT point: the API server as pods reach it. */
    public PodNode apiService(String host, int port) {
        this.apiServiceHost = host;
        this.apiServicePort = port;
        return this;
    }

    /** The service account token and cluster CA the kubelet puts into pods; by default a fixed token and a test CA. */
    public PodNode serviceAccount(String token, Path caCertificate) {
        this.serviceAccountToken = token;
        this.clusterCa = caCertificate;
        return this;
    }

    /** Runs containers whose image is {@code image}'s repository from it; the agent's image is known from the start. */
    public PodNode addImage(ContainerImage image) {
        images.add(0, image);
        return this;
    }

    /**
     * Makes {@code target}, a server on this machine, reachable from pods without {@code hostNetwork}; returns the
     * address they use ({@code 10.44.0.1} and the same port). Pods on the host network reach it where it is.
     */
    public InetSocketAddress forPods(InetSocketAddress target) {
        return network().forward(target);
    }

    /** The chart's agent pod, from the DaemonSet of {@code chart}; see {@link #run(PodManifest)}. */
    public RunningPod run(RenderedChart chart) {
        return run(PodManifest.of(chart));
    }

    /**
     * Starts the pod and returns once its container is running (not yet ready: see {@link RunningPod#awaitReady}).
     * A pod the runner cannot run as the kubelet would fails here with the reason.
     */
    public RunningPod run(PodManifest manifest) {
        RunningPod pod = RunningPod.start(this, manifest);
        pods.add(pod);
        return pod;
    }

    ContainerImage image(String reference) {
        return images.stream().filter(image -> image.matches(reference)).findFirst()
                .orElseThrow(() -> new UnsupportedPodSpecException("the pod runner knows no image " + reference
                        + "; known: " + images.stream().map(ContainerImage::repository).toList()));
    }

    String apiServiceHost() {
        return apiServiceHost;
    }

    int apiServicePort() {
        return apiServicePort;
    }

    String serviceAccountToken() {
        return serviceAccountToken;
    }

    synchronized Path clusterCa() {
        if (clusterCa == null) {
            clusterCa = TestCertificates.get().clusterCa();
        }
        return clusterCa;
    }

    synchronized NodeNetwork network() {
        if (network == null) {
            network = NodeNetwork.create(nextId() + "-node");
        }
        return network;
    }

    /** A name for namespaces, cgroups and mounts: the JVM's PID first, so leftovers of a dead run can be found. */
    String nextId() {
        return Leftovers.PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    void forget(RunningPod pod) {
        pods.remove(pod);
    }

    /** Deletes every pod still running, then the node's network. */
    @Override
    public synchronized void close() {
        for (RunningPod pod : List.copyOf(pods)) {
            pod.stop();
        }
        if (network != null) {
            network.close();
            network = null;
        }
        OPEN.remove(this);
    }
}
