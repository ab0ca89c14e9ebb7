package io.vedetta.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.vedetta.testkit.AgentArchive;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import io.vedetta.testkit.SimulatedNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code scripts/bench cluster}: what the cluster collector costs. Agents of one DaemonSet, launched with the
 * chart's JVM options, against a simulated API server:
 * <ul>
 *   <li>API requests per minute per agent, leader and followers (three agents, default Lease timings), empty and
 *       with a thousand objects of each kind, from the API server's count by User-Agent (each agent names its node
 *       in it);</li>
 *   <li>the leader's heap per 10,000 ReplicaSets, pods of no node and Jobs in its cache (live bytes from a class
 *       histogram, before and after each kind is added), against the same objects held whole as fabric8 objects
 *       (what an informer keeps by default), measured in this JVM;</li>
 *   <li>a failover with everything in place: the follower's time to lead and list, and its peak heap meanwhile.</li>
 * </ul>
 */
public final class ClusterBench {

    private static final PrintStream OUT = System.out;
    /**
     * The few series the benchmark reads, asked for by name: a full scrape's response grows with the objects, and the
     * buffers the HTTP layer keeps for it would be counted as cache.
     */
    private static final String OWN = "/metrics?name[]=vedetta_cluster_leader&name[]=vedetta_cluster_objects"
            + "&name[]=vedetta_cluster_synced&name[]=jvm_memory_used_bytes";

    record Heap(String kind, int objects, long agentBytes, long wholeBytes) {
    }

    record Requests(String agent, String role, double perMinute, Map<String, Double> byKind) {
    }

    public static void main(String[] args) throws Exception {
        int count = 10_000;
        Duration period = Duration.ofMinutes(2);
        Path dir = Path.of("target/bench-cluster").toAbsolutePath();
        Path report = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--objects" -> count = Integer.parseInt(args[++i]);
                case "--window" -> period = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--report" -> report = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --objects N, --window 120s, --dir DIR, --report FILE");
            }
        }
        int objects = count;
        Duration window = period;
        Files.createDirectories(dir);
        Logger.getLogger("io.fabric8.mockwebserver.MockWebServer").setLevel(Level.WARNING);
        Machine machine = Machine.describe();
        ChartJvm jvm = ChartJvm.ofThisRepository();
        List<Requests> idle;
        List<Requests> loaded;
        try (SimulatedNode api = new SimulatedNode("bench-requests")) {
            List<AgentProcess> agents = startAgents(api, dir.resolve("requests"), jvm, DEFAULT_TIMINGS, 3);
            try {
                awaitLeader(agents);
                idle = requests(api, agents, window);
                ClusterObjectsForBench make = new ClusterObjectsForBench(writer(api));
                OUT.println("making " + LOAD + " ReplicaSets, pods of no node and Jobs...");
                make.replicaSets(0, LOAD);
                make.pendingPods(0, LOAD);
                make.jobs(0, LOAD);
                awaitObjects(awaitLeader(agents), "jobs", LOAD);
                loaded = requests(api, agents, window);
            } finally {
                agents.forEach(AgentProcess::close);
            }
        }

        try (SimulatedNode api = new SimulatedNode("bench-heap")) {
            List<AgentProcess> agents = startAgents(api, dir.resolve("heap"), jvm, SLOW_MOCK_TIMINGS, 2);
            try {
                AgentProcess leader = awaitLeader(agents);
                int transitions = transitions(api);
                KubernetesClient client = writer(api);
                ClusterObjectsForBench make = new ClusterObjectsForBench(client);
                // A hundred of each first: what the first object of a kind costs once (classes, deserializers) is
                // not a cost per object.
                int warmUp = 100;
                make.replicaSets(objects, objects + warmUp);
                make.pendingPods(objects, objects + warmUp);
                make.jobs(objects, objects + warmUp);
                for (String resource : List.of("replicasets", "pods", "jobs")) {
                    awaitObjects(leader, resource, warmUp);
                }
                client.apps().replicaSets().inAnyNamespace().list();
                client.pods().inAnyNamespace().list();
                client.batch().v1().jobs().inAnyNamespace().list();
                List<Heap> heap = new ArrayList<>();
                heap.add(measure("ReplicaSets", "replicasets", objects, leader, histogram(leader),
                        () -> make.replicaSets(0, objects), () -> client.apps().replicaSets().inAnyNamespace()
                                .list().getItems()));
                heap.add(measure("pods of no node", "pods", objects, leader, histogram(leader),
                        () -> make.pendingPods(0, objects), () -> client.pods().inAnyNamespace().list().getItems()));
                heap.add(measure("Jobs", "jobs", objects, leader, histogram(leader),
                        () -> make.jobs(0, objects), () -> client.batch().v1().jobs().inAnyNamespace().list()
                                .getItems()));
                if (transitions(api) != transitions) {
                    throw new IllegalStateException("the leader changed while its heap was measured; run again");
                }
                Failover failover = failover(leader, agents.stream().filter(a -> a != leader).toList());
                BenchmarksFile.publish(report, "cluster", (command, commit) -> markdown(command, commit, machine, jvm,
                        objects, window, heap, idle, loaded, failover));
            } finally {
                agents.forEach(AgentProcess::close);
            }
        }
    }

    /** Lease timings of a phase, as the agents' {@code cluster} settings. */
    record Timings(int leaseSeconds, int renewSeconds, int retrySeconds) {
        String yaml() {
            return "leaseDuration: " + leaseSeconds + "s, renewDeadline: " + renewSeconds + "s, retryPeriod: "
                    + retrySeconds + "s";
        }
    }

    /** The agent's defaults, for the request counts. */
    static final Timings DEFAULT_TIMINGS = new Timings(15, 10, 2);
    /**
     * For the heap: the mock API server scans every object it holds on each request, and with tens of thousands of
     * them it stalls for longer than the default renew deadline, which would move the leadership mid-measurement.
     */
    static final Timings SLOW_MOCK_TIMINGS = new Timings(90, 60, 10);
    /** Objects of each kind during the request count: few enough for the mock to answer at once. */
    static final int LOAD = 1_000;

    record Failover(double toLead, double toList, long peakHeap, long liveHeap) {
    }

    /** Kills the leader; the follower's time to lead and to list everything, and its heap meanwhile. */
    private static Failover failover(AgentProcess leader, List<AgentProcess> rest) throws Exception {
        OUT.println("failover: killing the leader");
        long killed = System.nanoTime();
        leader.process().kill();
        long peak = 0;
        long led = 0;
        AgentProcess next = null;
        while (next == null) {
            for (AgentProcess a : rest) {
                String m = own(a);
                peak = Math.max(peak, heapUsed(m));
                if (m.contains("\nvedetta_cluster_leader 1.0")) {
                    led = led == 0 ? System.nanoTime() : led;
                    if (m.contains("vedetta_cluster_synced{resource=\"jobs\"} 1.0")
                            && m.contains("vedetta_cluster_synced{resource=\"replicasets\"} 1.0")
                            && m.contains("vedetta_cluster_synced{resource=\"pods\"} 1.0")) {
                        next = a;
                    }
                }
            }
            Thread.sleep(100);
        }
        return new Failover((led - killed) / 1e9, (System.nanoTime() - led) / 1e9, peak, liveHeap(next));
    }

    /**
     * The benchmark's own client: the mock slows down as it fills, so a long timeout and no retries, or a create
     * that timed out but landed would be sent again and refused.
     */
    private static KubernetesClient writer(SimulatedNode api) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(api.apiServerUrl())
                .withRequestTimeout(600_000).withRequestRetryBackoffLimit(0).build())
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    private static int transitions(SimulatedNode api) {
        Integer n = api.client().leases().inNamespace("vedetta").withName("vedetta-cluster-leader").get().getSpec()
                .getLeaseTransitions();
        return n == null ? 0 : n;
    }

    private static List<AgentProcess> startAgents(SimulatedNode api, Path dir, ChartJvm jvm, Timings timings,
            int count) {
        List<AgentProcess> agents = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            agents.add(start(api, dir.resolve("agent-" + i), i, jvm, timings));
        }
        return agents;
    }

    private interface Make {
        void run() throws Exception;
    }

    private static Heap measure(String kind, String resource, int objects, AgentProcess leader,
            Map<String, Long> before, Make make,
            Supplier<List<? extends HasMetadata>> whole) throws Exception {
        OUT.println("making " + objects + " " + kind + "...");
        long started = System.nanoTime();
        make.run();
        OUT.printf("  made in %.1f s; waiting for the leader's cache%n", (System.nanoTime() - started) / 1e9);
        awaitObjects(leader, resource, objects + 100);
        Map<String, Long> after = histogram(leader);
        long agentBytes = after.get(TOTAL) - before.get(TOTAL);
        long wholeBytes = wholeObjects(whole, objects);
        OUT.printf("  leader: %d bytes per object; whole fabric8 objects: %d bytes per object%n",
                agentBytes / objects, wholeBytes / objects);
        // Where the leader's bytes went: the classes that grew most.
        after.entrySet().stream().filter(e -> !e.getKey().equals(TOTAL))
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> OUT.printf("    %+8d bytes per object  %s%n", e.getValue() / objects, e.getKey()));
        return new Heap(kind, objects, agentBytes, wholeBytes);
    }

    private static void awaitObjects(AgentProcess leader, String resource, int count) throws InterruptedException {
        String line = "vedetta_cluster_objects{resource=\"" + resource + "\"} " + (double) count;
        while (!own(leader).contains(line)) {
            Thread.sleep(200);
        }
    }

    /** Live heap of this JVM that {@code objects} of what {@code list} returns take, held as fabric8 makes them. */
    private static long wholeObjects(Supplier<List<? extends HasMetadata>> list, int objects)
            throws InterruptedException {
        long before = gcAndUsed();
        List<? extends HasMetadata> held = list.get();
        long after = gcAndUsed();
        if (held.isEmpty()) {
            throw new IllegalStateException("nothing listed");
        }
        return (after - before) * objects / held.size();
    }

    private static long gcAndUsed() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The bytes of all live objects of the agent, from a class histogram (which collects all garbage first). */
    private static long liveHeap(AgentProcess agent) throws IOException, InterruptedException {
        return histogram(agent).get(TOTAL);
    }

    private static final String TOTAL = "Total";

    /** The agent's live bytes by class ({@link #TOTAL} for all), from {@code jcmd GC.class_histogram}. */
    private static Map<String, Long> histogram(AgentProcess agent) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(agent.process().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Map<String, Long> bytes = new HashMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals(TOTAL)) {
                bytes.put(TOTAL, Long.parseLong(f[2]));
            } else if (f.length >= 4 && f[0].endsWith(":")) {
                // "  num:  #instances  #bytes  class name (module)"
                bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
            }
        }
        if (!bytes.containsKey(TOTAL)) {
            throw new IllegalStateException("no class histogram from jcmd: " + out);
        }
        return bytes;
    }

    private static String own(AgentProcess agent) {
        return Http.get(agent.url() + OWN.replace("[", "%5B").replace("]", "%5D")).body();
    }

    /** The heap in use (garbage included) that an agent's {@link #OWN} scrape reports. */
    private static long heapUsed(String scrape) {
        long used = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return used;
    }

    /** Requests per minute of each agent over {@code window}, from the API server's count by User-Agent. */
    private static List<Requests> requests(SimulatedNode api, List<AgentProcess> agents, Duration window)
            throws InterruptedException {
        OUT.println("counting API requests for " + window.toSeconds() + " s...");
        Map<String, Map<String, Long>> start = api.dispatcher().requests();
        Thread.sleep(window.toMillis());
        Map<String, Map<String, Long>> end = api.dispatcher().requests();
        List<Requests> out = new ArrayList<>();
        for (int i = 1; i <= agents.size(); i++) {
            AgentProcess agent = agents.get(i - 1);
            String node = "node-" + i;
            String ua = end.keySet().stream().filter(k -> k.endsWith("(" + node + ")")).findFirst().orElse("");
            Map<String, Double> byKind = new TreeMap<>();
            double total = 0;
            for (Map.Entry<String, Long> e : end.getOrDefault(ua, Map.of()).entrySet()) {
                long was = start.getOrDefault(ua, Map.of()).getOrDefault(e.getKey(), 0L);
                double perMinute = (e.getValue() - was) * 60.0 / window.toSeconds();
                if (perMinute > 0) {
                    byKind.put(e.getKey(), perMinute);
                    total += perMinute;
                }
            }
            boolean leads = agent.process().isAlive()
                    && own(agent).contains("\nvedetta_cluster_leader 1.0");
            out.add(new Requests(node, leads ? "leader" : "follower", total, byKind));
        }
        return out;
    }

    private static AgentProcess start(SimulatedNode api, Path dir, int i, ChartJvm jvm, Timings timings) {
        Map<String, String> env = new HashMap<>(jvm.environment());
        env.putAll(Map.of("NODE_NAME", "node-" + i, "POD_NAME", "vedetta-" + i, "POD_NAMESPACE", "vedetta"));
        return AgentProcess.start(dir, """
                kubernetes:
                  apiServer: %s
                metrics:
                  kubelet: {enabled: false}
                  node: {enabled: false}
                logs:
                  enabled: false
                  stateDir: %s/state
                  sink: {type: file, path: "%s/events.ndjson"}
                cluster: {enabled: true, %s}
                logging:
                  format: json
                """.formatted(api.apiServerUrl(), dir, dir, timings.yaml()), env, jvm.options());
    }

    private static AgentProcess awaitLeader(List<AgentProcess> agents) {
        AgentProcess[] found = new AgentProcess[1];
        if (!Http.await(Duration.ofSeconds(90), () -> {
            for (AgentProcess a : agents) {
                if (own(a).contains("\nvedetta_cluster_leader 1.0")) {
                    found[0] = a;
                    return true;
                }
            }
            return false;
        })) {
            throw new IllegalStateException("no agent leads");
        }
        return found[0];
    }

    private static String markdown(String command, String commit, Machine machine, ChartJvm jvm, int objects,
            Duration window, List<Heap> heap, List<Requests> idle, List<Requests> loaded, Failover failover) {
        StringBuilder md = new StringBuilder();
        md.append("## Cluster collector: the leader's cache and the API requests of leader and followers\n\n");
        md.append(String.format("Command: `%s` (commit %s), run %s on %d CPUs (%s), load average %s before the run, "
                + "kernel %s, %s. Agents with the chart's JVM options (`%s`), %s, against a simulated API server (fabric8's"
                + " mock in CRUD mode with the test kit's field selectors and events watch cache). Objects carry a"
                + " production-sized pod template (two containers with environment, resources and probes).%n%n",
                command, commit,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), machine.cpus(), machine.cpuModel(),
                machine.loadAverage(), machine.kernel(), machine.java(), String.join(" ", jvm.options()),
                AgentArchive.describe(AgentArchive.configured())));
        md.append("### The leader's heap per object\n\n");
        md.append("Two agents, `" + SLOW_MOCK_TIMINGS.yaml() + "` (the mock API server stalls for longer than the"
                + " default renew deadline once it holds tens of thousands of objects). Bytes of all live objects of"
                + " the leading agent (`jcmd GC.class_histogram`, which collects first), before and after " + objects
                + " objects of a kind are in its cache (100 of each were there before, so one-time costs are left"
                + " out); beside it, the same objects held whole as fabric8 makes them (what a default informer"
                + " keeps), measured in the benchmark's JVM.\n\n");
        md.append("| kind | objects | leader's heap | per object | per 10,000 | whole fabric8 objects, per 10,000 | whole / kept |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Heap h : heap) {
            md.append(String.format("| %s | %,d | %s | %,d B | %s | %s | %.0f× |%n", h.kind(), h.objects(),
                    mib(h.agentBytes()), h.agentBytes() / h.objects(), mib(h.agentBytes() * 10_000L / h.objects()),
                    mib(h.wholeBytes() * 10_000L / h.objects()), (double) h.wholeBytes() / Math.max(1, h.agentBytes())));
        }
        md.append(String.format("%nFailover with all %,d objects in place: the leader SIGKILLed, the follower led %.1f s"
                + " later (the lease duration is %d s here) and had listed every resource %.1f s after that, one after"
                + " another; its heap in use peaked at %s meanwhile (garbage included, sampled every 100 ms from its"
                + " /metrics), and its live heap was %s afterwards.%n%n", 3 * objects, failover.toLead(),
                SLOW_MOCK_TIMINGS.leaseSeconds(), failover.toList(), mib(failover.peakHeap()), mib(failover.liveHeap())));
        md.append("### API requests per minute per agent\n\n");
        md.append(String.format("Three agents with the defaults (`%s`). Counted by the API server per User-Agent over"
                + " %d s, in an empty cluster and then with %,d ReplicaSets, %,d pods of no node and %,d Jobs; a watch"
                + " counts once, when it is opened (the mock API server never ends a watch, so the reconnects a real"
                + " one causes every few minutes per watch are not in these figures).%n%n", DEFAULT_TIMINGS.yaml(),
                window.toSeconds(), LOAD, LOAD, LOAD));
        md.append("| agent | role | requests/min, empty cluster | requests/min, " + String.format("%,d", 3 * LOAD)
                + " objects | what (with objects) |\n|---|---|---:|---:|---|\n");
        for (int i = 0; i < idle.size(); i++) {
            Requests a = idle.get(i);
            Requests b = loaded.get(i);
            StringBuilder what = new StringBuilder();
            b.byKind().forEach((k, v) -> what.append(what.length() == 0 ? "" : ", ").append(String.format("%s %.1f", k, v)));
            md.append(String.format("| %s | %s | %.1f | %.1f | %s |%n", a.agent(), b.role(), a.perMinute(),
                    b.perMinute(), what));
        }
        return md.toString();
    }

    private static String mib(long bytes) {
        return String.format("%.2f MiB", bytes / 1048576.0);
    }

}
