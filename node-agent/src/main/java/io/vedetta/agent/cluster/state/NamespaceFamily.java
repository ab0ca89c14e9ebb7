package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vedetta.agent.metrics.MetricName;
import java.util.Collection;
import java.util.List;

/** {@code kube_namespace_*}: one phase series per phase, 1 for the namespace's. */
final class NamespaceFamily implements Family<Namespace, NamespaceFamily.State> {

    private static final List<String> PHASES = List.of("Active", "Terminating");

    record State(String name, double created, String phase) {
    }

    @Override
    public String resource() {
        return "namespaces";
    }

    @Override
    public Class<Namespace> type() {
        return Namespace.class;
    }

    @Override
    public SharedIndexInformer<Namespace> informer(KubernetesClient client) {
        return client.namespaces().runnableInformer(0);
    }

    @Override
    public State keep(Namespace n) {
        return new State(ObjectValues.intern(n.getMetadata().getName()),
                ObjectValues.seconds(n.getMetadata().getCreationTimestamp()),
                n.getStatus() == null ? "" : ObjectValues.intern(n.getStatus().getPhase()));
    }

    @Override
    public void write(Collection<State> states, SeriesWriter out) {
        series().forEach(out::declare);
        for (State s : states) {
            if (ObjectValues.has(s.created())) {
                out.gauge(NAMESPACE_CREATED, s.created(), s.name());
            }
            for (String phase : PHASES) {
                out.gauge(NAMESPACE_PHASE, phase.equals(s.phase()) ? 1 : 0, s.name(), phase);
            }
        }
    }

    @Override
    public List<MetricName> series() {
        return List.of(NAMESPACE_CREATED, NAMESPACE_PHASE);
    }
}
