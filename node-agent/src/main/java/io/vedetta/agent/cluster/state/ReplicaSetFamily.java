package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.vedetta.agent.cluster.state.ObjectValues.Owner;
import java.util.List;
import java.util.Optional;

/**
 * {@code kube_replicaset_*}. The resource that numbers in the hundreds of thousands (each Deployment keeps its
 * revision history as ReplicaSets), so what is kept is counts and the owner, with the strings shared.
 */
final class ReplicaSetFamily extends Family<ReplicaSet, ReplicaSetFamily.State> {

    /** @param specReplicas -1 when unset */
    record State(String namespace, String name, double created, int specReplicas, int replicas, int fullyLabeled,
            int ready, long observedGeneration, long generation, List<Owner> owners) {
    }

    ReplicaSetFamily() {
        super("replicasets", ReplicaSet.class,
                client -> client.apps().replicaSets().inAnyNamespace().runnableInformer(0),
                REPLICASET_CREATED, REPLICASET_REPLICAS, REPLICASET_FULLY_LABELED, REPLICASET_READY,
                REPLICASET_OBSERVED_GENERATION, REPLICASET_SPEC_REPLICAS, REPLICASET_GENERATION, REPLICASET_OWNER);
    }

    @Override
    State keep(ReplicaSet r) {
        ReplicaSetStatus status = Optional.ofNullable(r.getStatus()).orElseGet(ReplicaSetStatus::new);
        Integer spec = r.getSpec() == null ? null : r.getSpec().getReplicas();
        return new State(ObjectValues.namespace(r.getMetadata()), ObjectValues.name(r.getMetadata()),
                ObjectValues.seconds(r.getMetadata().getCreationTimestamp()), spec == null ? -1 : spec,
                ObjectValues.count(status.getReplicas()), ObjectValues.count(status.getFullyLabeledReplicas()),
                ObjectValues.count(status.getReadyReplicas()), ObjectValues.count(status.getObservedGeneration()),
                ObjectValues.count(r.getMetadata().getGeneration()),
                ObjectValues.owners(r.getMetadata().getOwnerReferences()));
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.time(REPLICASET_CREATED, s.created(), ns, n);
        if (s.specReplicas() >= 0) {
            out.gauge(REPLICASET_SPEC_REPLICAS, s.specReplicas(), ns, n);
        }
        out.gauge(REPLICASET_REPLICAS, s.replicas(), ns, n);
        out.gauge(REPLICASET_FULLY_LABELED, s.fullyLabeled(), ns, n);
        out.gauge(REPLICASET_READY, s.ready(), ns, n);
        out.gauge(REPLICASET_OBSERVED_GENERATION, s.observedGeneration(), ns, n);
        out.gauge(REPLICASET_GENERATION, s.generation(), ns, n);
        for (Owner o : s.owners()) {
            out.gauge(REPLICASET_OWNER, 1, ns, n, o.kind(), o.name(), o.isController());
        }
    }
}
