package io.vedetta.testkit.pod;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The node's side of pod networking, for pods without {@code hostNetwork}: a network namespace of the runner's own
 * making stands in for the node (never this machine's, so parallel test runs and the host's interfaces are left
 * alone), with a bridge at {@link #GATEWAY} and, per pod, a veth pair whose far end is the pod's {@code eth0} (what
 * the CNI bridge plugin builds). Services of the test, which listen on this machine's loopback, are made reachable
 * from pods at {@code GATEWAY:port} by forwarders whose listening sockets live in the node namespace; the kubelet's
 * probes and the tests reach pods from there too.
 */
final class NodeNetwork implements AutoCloseable {

    static final String GATEWAY = "10.44.0.1";
    private static final String SUBNET_PREFIX = "10.44.0.";

    private final String namespace;
    private final ExecutorService inside;
    private final Map<Integer, ServerSocket> forwarders = new ConcurrentHashMap<>();
    private final List<String> pods = new ArrayList<>();
    private int nextHost = 2;

    private NodeNetwork(String namespace) {
        this.namespace = namespace;
        Path file = Path.of("/run/netns", namespace);
        this.inside = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(() -> {
                Netns.enter(file);
                task.run();
            }, "node-network-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
    }

    static NodeNetwork create(String namespace) {
        Shell.run("ip", "netns", "add", namespace);
        NodeNetwork network = new NodeNetwork(namespace);
        try {
            Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
            Shell.run("ip", "-n", namespace, "link", "add", "cbr0", "type", "bridge");
            Shell.run("ip", "-n", namespace, "addr", "add", GATEWAY + "/24", "dev", "cbr0");
            Shell.run("ip", "-n", namespace, "link", "set", "cbr0", "up");
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** A pod's network namespace, joined to the bridge; returns the pod's IP. */
    synchronized String attach(String podNamespace) {
        int host = nextHost++;
        String ip = SUBNET_PREFIX + host;
        Shell.run("ip", "netns", "add", podNamespace);
        pods.add(podNamespace);
        String veth = "veth" + host;
        Shell.run("ip", "link", "add", veth, "netns", namespace, "type", "veth", "peer", "name", "eth0", "netns", podNamespace);
        Shell.run("ip", "-n", namespace, "link", "set", veth, "master", "cbr0", "up");
        Shell.run("ip", "-n", podNamespace, "addr", "add", ip + "/24", "dev", "eth0");
        Shell.run("ip", "-n", podNamespace, "link", "set", "eth0", "up");
        Shell.run("ip", "-n", podNamespace, "link", "set", "lo", "up");
        Shell.run("ip", "-n", podNamespace, "route", "add", "default", "via", GATEWAY);
        return ip;
    }

    synchronized void detach(String podNamespace) {
        if (pods.remove(podNamespace)) {
            Shell.attempt("ip", "netns", "del", podNamespace);
        }
    }

    /** Pods reach {@code target} (a server on this machine) at {@code GATEWAY:target's port}; returns that address. */
    InetSocketAddress forward(InetSocketAddress target) {
        int port = target.getPort();
        forwarders.computeIfAbsent(port, p -> {
            ServerSocket listener = inNode(() -> {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(GATEWAY), p), 64);
                return socket;
            });
            Thread acceptor = new Thread(() -> accept(listener, target), "node-forward-" + p);
            acceptor.setDaemon(true);
            acceptor.start();
            return listener;
        });
        return new InetSocketAddress(GATEWAY, port);
    }

    /** A socket connected from the node namespace, as the kubelet's probes connect to a pod. */
    Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
        try {
            return inNode(() -> {
                Socket socket = new Socket();
                socket.connect(address, (int) timeout.toMillis());
                return socket;
            });
        } catch (PodStartException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private <T> T inNode(Task<T> task) {
        Future<T> result = inside.submit(task::call);
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PodStartException("in network namespace " + namespace + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PodStartException("interrupted in network namespace " + namespace, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new PodStartException("network namespace " + namespace + " did not answer in 30 s", e);
        }
    }

    private static void accept(ServerSocket listener, InetSocketAddress target) {
        while (!listener.isClosed()) {
            try {
                Socket from = listener.accept();
                Socket to = new Socket();
                try {
                    to.connect(target, 5_000);
                } catch (IOException e) {
                    from.close();
                    to.close();
                    continue;
                }
                pump(from, to);
                pump(to, from);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket in, Socket out) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream from = in.getInputStream()) {
                OutputStream to = out.getOutputStream();
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    to.write(buffer, 0, n);
                }
                out.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(out);
            }
        }, "node-forward-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the other direction's pump sees the close
        }
    }

    @Override
    public synchronized void close() {
        for (ServerSocket listener : forwarders.values()) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // the namespace goes next
            }
        }
        inside.shutdownNow();
        for (String pod : List.copyOf(pods)) {
            detach(pod);
        }
        Shell.attempt("ip", "netns", "del", namespace);
    }

    @FunctionalInterface
    private interface Task<T> {
        T call() throws Exception;
    }
}
