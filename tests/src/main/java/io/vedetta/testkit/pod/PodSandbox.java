package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the kubelet sets up for a pod before its container starts and keeps across container restarts: the pod's
 * identity (name, UID) and directory, its network (the node's, or a namespace of its own on the node network), host
 * name, the files it manages ({@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf} by {@code dnsPolicy},
 * the service account's token, CA and namespace), the volumes, and the environment its services give.
 */
final class PodSandbox implements AutoCloseable {

    static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private final PodNode node;
    private final String id;
    private final String name;
    private final String namespace;
    private final String uid = UUID.randomUUID().toString();
    private final PodSpec spec;
    private final JsonNode metadata;
    private final Path dir;
    private final ClusterObjects objects;
    private final Volumes volumes;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private String netns;
    private String podIp;

    private PodSandbox(PodNode node, String id, PodManifest manifest, PodSpec spec, Path dir) {
        this.node = node;
        this.id = id;
        this.name = manifest.name();
        this.namespace = manifest.namespace();
        this.spec = spec;
        this.metadata = manifest.template().path("metadata");
        this.dir = dir;
        this.objects = new ClusterObjects(namespace, manifest.objects());
        this.volumes = new Volumes(dir.resolve("volumes"), id);
    }

    static PodSandbox create(PodNode node, PodManifest manifest, PodSpec spec) {
        String id = node.nextId();
        Path dir;
        try {
            dir = Files.createDirectories(node.directory().resolve("pods").resolve(manifest.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PodSandbox sandbox = new PodSandbox(node, id, manifest, spec, dir);
        try {
            sandbox.setUp();
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    private void setUp() {
        if (hostNetwork()) {
            podIp = node.hostIp();
        } else {
            netns = id;
            podIp = node.network().attach(netns);
        }
        writeKubeletFiles();
        volumes.prepare(spec.getVolumes(), new Volumes.Node() {
            @Override
            public Path hostPath(String path) {
                return node.hostPath(path);
            }

            @Override
            public Map<String, byte[]> configMap(String configMap) {
                return objects.configMap(configMap);
            }

            @Override
            public Map<String, byte[]> secret(String secret) {
                return objects.secret(secret);
            }
        });
    }

    private void writeKubeletFiles() {
        try {
            Path etc = Files.createDirectories(dir.resolve("etc"));
            Files.writeString(etc.resolve("hostname"), hostname() + "\n");
            Files.writeString(etc.resolve("hosts"), hostNetwork()
                    ? "# Kubernetes-managed hosts file (host network).\n" + Files.readString(Path.of("/etc/hosts"))
                    : "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                            + "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
                            + podIp + "\t" + hostname() + "\n");
            Files.writeString(etc.resolve("resolv.conf"), resolvConf());
            if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
                Path account = Files.createDirectories(dir.resolve("serviceaccount"));
                Files.writeString(account.resolve("token"), node.serviceAccountToken());
                Files.copy(node.clusterCa(), account.resolve("ca.crt"));
                Files.writeString(account.resolve("namespace"), namespace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the kubelet's files of pod " + name, e);
        }
    }

    /**
     * The kubelet's resolv.conf: the cluster DNS with the namespace's search path for ClusterFirst (and for
     * ClusterFirstWithHostNet on the host network; ClusterFirst on the host network falls back to Default, the node's
     * own resolv.conf). The node has no cluster DNS: the server named answers nothing, so a name only
     * {@code /etc/hosts} or an IP resolves, and a lookup of anything else fails fast rather than hanging.
     */
    private String resolvConf() throws IOException {
        String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
        boolean cluster = policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork());
        if (!cluster) {
            return Files.readString(Path.of("/etc/resolv.conf"));
        }
        return "search " + namespace + ".svc.cluster.local svc.cluster.local cluster.local\nnameserver "
                + (hostNetwork() ? node.hostIp() : NodeNetwork.GATEWAY) + "\noptions ndots:5\n";
    }

    /** The bind mounts of the kubelet's own files; read-only with a read-only root, as containerd mounts them. */
    List<LaunchScript.Mount> kubeletMounts(boolean readOnlyRoot) {
        List<LaunchScript.Mount> mounts = new ArrayList<>();
        for (String file : List.of("hosts", "hostname", "resolv.conf")) {
            mounts.add(new LaunchScript.Mount("/etc/" + file, dir.resolve("etc").resolve(file), readOnlyRoot, "None", false));
        }
        if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
            mounts.add(new LaunchScript.Mount(SERVICE_ACCOUNT_DIR, dir.resolve("serviceaccount"), true, "None", false));
        }
        return mounts;
    }

    /** The container's environment: see {@link ContainerEnv}; HOME as runc sets it from the image's passwd file. */
    Map<String, String> environment(ContainerImage image, Container container, long runAsUser) {
        Map<String, String> services = new LinkedHashMap<>();
        if (!Boolean.FALSE.equals(spec.getEnableServiceLinks())) {
            services.putAll(objects.serviceVariables());
        }
        services.putAll(ContainerEnv.serviceVariables("kubernetes", node.apiServiceHost(),
                List.of(new ContainerEnv.ServicePort("https", node.apiServicePort(), "TCP"))));
        ContainerEnv.PodFields fields = new ContainerEnv.PodFields(name, namespace, uid, node.name(),
                spec.getServiceAccountName() == null ? "default" : spec.getServiceAccountName(), hostIp(), podIp,
                strings(metadata.path("labels")), strings(metadata.path("annotations")));
        Map<String, String> env = ContainerEnv.build(image.env(), hostname(), services, container.getEnv(), fields,
                new ContainerEnv.KeyLookup() {
                    @Override
                    public byte[] secretKey(String secret, String key) {
                        Map<String, byte[]> data = objects.secret(secret);
                        return data == null ? null : data.get(key);
                    }

                    @Override
                    public byte[] configMapKey(String configMap, String key) {
                        Map<String, byte[]> data = objects.configMap(configMap);
                        return data == null ? null : data.get(key);
                    }
                });
        env.putIfAbsent("HOME", home(runAsUser));
        return env;
    }

    private static String home(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 5 && f[2].equals(String.valueOf(uid))) {
                    return f[5];
                }
            }
        } catch (IOException e) {
            return "/";
        }
        return "/";
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }

    Volumes.Prepared volume(String volume) {
        return volumes.get(volume);
    }

    /** How the kubelet's side connects to the pod: directly on the host network, else from the node's namespace. */
    PodHttp.Connector connector() {
        if (hostNetwork()) {
            return (address, timeout) -> {
                Socket socket = new Socket();
                socket.connect(address, (int) timeout.toMillis());
                return socket;
            };
        }
        return node.network()::connect;
    }

    void onClose(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    boolean hostNetwork() {
        return Boolean.TRUE.equals(spec.getHostNetwork());
    }

    boolean hostPid() {
        return Boolean.TRUE.equals(spec.getHostPID());
    }

    boolean hostIpc() {
        return Boolean.TRUE.equals(spec.getHostIPC());
    }

    /** A pod on the host network shares the node's UTS namespace (and host name); any other pod has its own. */
    boolean ownUts() {
        return !hostNetwork();
    }

    String hostname() {
        if (hostNetwork()) {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** status.hostIP: the node's address as this pod reaches it. */
    String hostIp() {
        return hostNetwork() ? node.hostIp() : NodeNetwork.GATEWAY;
    }

    int gracePeriodSeconds() {
        return spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds().intValue();
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    String namespace() {
        return namespace;
    }

    String podIp() {
        return podIp;
    }

    String netns() {
        return netns;
    }

    Path directory() {
        return dir;
    }

    Path log() {
        return dir.resolve("container.log");
    }

    @Override
    public void close() {
        volumes.close();
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("tearing down pod " + name + ": " + e.getMessage(), e);
            }
        }
        closeables.clear();
        if (netns != null) {
            node.network().detach(netns);
            netns = null;
        }
    }
}
