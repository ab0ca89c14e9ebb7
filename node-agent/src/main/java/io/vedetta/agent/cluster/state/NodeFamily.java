package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.vedetta.agent.cluster.state.ObjectValues.Amount;
import io.vedetta.agent.cluster.state.ObjectValues.Condition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code kube_node_*}: what KubeNodeNotReady, KubeNodeUnreachable and the capacity panels read, including taints
 * (control-plane nodes' {@code NoSchedule}, the node controller's {@code unreachable}) and roles (which
 * KubeCPUOvercommit and KubeMemoryOvercommit count control-plane nodes by).
 */
final class NodeFamily extends Family<Node, NodeFamily.State> {

    record Taint(String key, String value, String effect) {
    }

    /** The label prefix of a node's roles, as kubectl shows them ({@code node-role.kubernetes.io/control-plane}). */
    private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
    /** The older label whose value is a role. */
    private static final String ROLE_LABEL = "kubernetes.io/role";

    /** @param info kernel, OS image, runtime, kubelet, kube-proxy, pod CIDR, provider id, system UUID, internal IP */
    record State(String name, double created, List<String> info, boolean unschedulable, List<Taint> taints,
            List<String> roles, List<Condition> conditions, List<Amount> capacity, List<Amount> allocatable) {
    }

    NodeFamily() {
        super("nodes", Node.class, client -> client.nodes().runnableInformer(0),
                NODE_INFO, NODE_CREATED, NODE_UNSCHEDULABLE, NODE_TAINT, NODE_ROLE, NODE_CONDITION, NODE_CAPACITY,
                NODE_ALLOCATABLE);
    }

    @Override
    State keep(Node n) {
        NodeSpec spec = Optional.ofNullable(n.getSpec()).orElseGet(NodeSpec::new);
        NodeStatus status = Optional.ofNullable(n.getStatus()).orElseGet(NodeStatus::new);
        NodeSystemInfo system = Optional.ofNullable(status.getNodeInfo()).orElseGet(NodeSystemInfo::new);
        String internalIp = status.getAddresses() == null ? "" : status.getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).findFirst().orElse("");
        List<String> info = java.util.stream.Stream.of(system.getKernelVersion(), system.getOsImage(),
                system.getContainerRuntimeVersion(), system.getKubeletVersion(), system.getKubeProxyVersion(),
                spec.getPodCIDR(), spec.getProviderID(), system.getSystemUUID(), internalIp)
                .map(ObjectValues::intern).toList();
        return new State(ObjectValues.name(n.getMetadata()), ObjectValues.seconds(n.getMetadata().getCreationTimestamp()),
                info, ObjectValues.flag(spec.getUnschedulable()),
                spec.getTaints() == null ? List.of() : spec.getTaints().stream()
                        .map(t -> new Taint(ObjectValues.intern(t.getKey()), ObjectValues.intern(t.getValue()),
                                ObjectValues.intern(t.getEffect()))).toList(),
                roles(n.getMetadata().getLabels()),
                status.getConditions() == null ? List.of() : status.getConditions().stream()
                        .map(c -> Condition.of(c.getType(), c.getStatus(), c.getReason())).toList(),
                ObjectValues.amounts(status.getCapacity()), ObjectValues.amounts(status.getAllocatable()));
    }

    /**
     * The roles kube-state-metrics and kubectl read from the labels: the name after {@code node-role.kubernetes.io/}
     * and the value of {@code kubernetes.io/role}, each once, sorted.
     */
    static List<String> roles(Map<String, String> labels) {
        if (labels == null) {
            return List.of();
        }
        SortedSet<String> roles = new TreeSet<>();
        labels.forEach((key, value) -> {
            if (key.startsWith(ROLE_PREFIX) && key.length() > ROLE_PREFIX.length()) {
                roles.add(ObjectValues.intern(key.substring(ROLE_PREFIX.length())));
            } else if (key.equals(ROLE_LABEL) && value != null && !value.isEmpty()) {
                roles.add(ObjectValues.intern(value));
            }
        });
        return List.copyOf(roles);
    }

    @Override
    void write(State s, SeriesWriter out) {
        String n = s.name();
        String[] info = new String[s.info().size() + 1];
        info[0] = n;
        for (int i = 0; i < s.info().size(); i++) {
            info[i + 1] = s.info().get(i);
        }
        out.gauge(NODE_INFO, 1, info);
        out.time(NODE_CREATED, s.created(), n);
        out.gauge(NODE_UNSCHEDULABLE, s.unschedulable() ? 1 : 0, n);
        for (Taint t : s.taints()) {
            out.gauge(NODE_TAINT, 1, n, t.key(), t.value(), t.effect());
        }
        for (String role : s.roles()) {
            out.gauge(NODE_ROLE, 1, n, role);
        }
        for (Condition c : s.conditions()) {
            out.condition(NODE_CONDITION, c.status(), n, c.type());
        }
        for (Amount a : s.capacity()) {
            out.gauge(NODE_CAPACITY, a.value(), n, a.resource(), a.unit());
        }
        for (Amount a : s.allocatable()) {
            out.gauge(NODE_ALLOCATABLE, a.value(), n, a.resource(), a.unit());
        }
    }
}
