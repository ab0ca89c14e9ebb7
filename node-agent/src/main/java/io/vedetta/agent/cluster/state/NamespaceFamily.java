package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;

/** {@code kube_namespace_*}: one phase series per phase, 1 for the namespace's. */
final class NamespaceFamily extends Family<Namespace, NamespaceFamily.State> {

    private static final List<String> PHASES = List.of("Active", "Terminating");

    record State(String name, double created, String phase) {
    }

    NamespaceFamily() {
        super("namespaces", Namespace.class, client -> client.namespaces().runnableInformer(0),
                NAMESPACE_CREATED, NAMESPACE_PHASE);
    }

    @Override
    State keep(Namespace n) {
        return new State(ObjectValues.intern(n.getMetadata().getName()),
                ObjectValues.seconds(n.getMetadata().getCreationTimestamp()),
                n.getStatus() == null ? "" : ObjectValues.intern(n.getStatus().getPhase()));
    }

    @Override
    void write(State s, SeriesWriter out) {
        out.time(NAMESPACE_CREATED, s.created(), s.name());
        for (String phase : PHASES) {
            out.gauge(NAMESPACE_PHASE, phase.equals(s.phase()) ? 1 : 0, s.name(), phase);
        }
    }
}
