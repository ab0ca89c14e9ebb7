package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.Optional;

/** {@code kube_statefulset_*}: replicas, generations and revisions, as the mixin's StatefulSet alerts read them. */
final class StatefulSetFamily extends Family<StatefulSet, StatefulSetFamily.State> {

    /** @param specReplicas -1 when unset */
    record State(String namespace, String name, double created, int specReplicas, int replicas, int current,
            int ready, int available, int updated, long observedGeneration, long generation, String currentRevision,
            String updateRevision) {
    }

    StatefulSetFamily() {
        super("statefulsets", StatefulSet.class,
                client -> client.apps().statefulSets().inAnyNamespace().runnableInformer(0),
                STATEFULSET_CREATED, STATEFULSET_REPLICAS, STATEFULSET_CURRENT, STATEFULSET_READY,
                STATEFULSET_AVAILABLE, STATEFULSET_UPDATED, STATEFULSET_OBSERVED_GENERATION, STATEFULSET_SPEC_REPLICAS,
                STATEFULSET_GENERATION, STATEFULSET_CURRENT_REVISION, STATEFULSET_UPDATE_REVISION);
    }

    @Override
    State keep(StatefulSet s) {
        StatefulSetSpec spec = Optional.ofNullable(s.getSpec()).orElseGet(StatefulSetSpec::new);
        StatefulSetStatus status = Optional.ofNullable(s.getStatus()).orElseGet(StatefulSetStatus::new);
        return new State(ObjectValues.namespace(s.getMetadata()), ObjectValues.name(s.getMetadata()),
                ObjectValues.seconds(s.getMetadata().getCreationTimestamp()),
                spec.getReplicas() == null ? -1 : spec.getReplicas(), ObjectValues.count(status.getReplicas()),
                ObjectValues.count(status.getCurrentReplicas()), ObjectValues.count(status.getReadyReplicas()),
                ObjectValues.count(status.getAvailableReplicas()), ObjectValues.count(status.getUpdatedReplicas()),
                ObjectValues.count(status.getObservedGeneration()), ObjectValues.count(s.getMetadata().getGeneration()),
                ObjectValues.text(status.getCurrentRevision()), ObjectValues.text(status.getUpdateRevision()));
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.time(STATEFULSET_CREATED, s.created(), ns, n);
        if (s.specReplicas() >= 0) {
            out.gauge(STATEFULSET_SPEC_REPLICAS, s.specReplicas(), ns, n);
        }
        out.gauge(STATEFULSET_REPLICAS, s.replicas(), ns, n);
        out.gauge(STATEFULSET_CURRENT, s.current(), ns, n);
        out.gauge(STATEFULSET_READY, s.ready(), ns, n);
        out.gauge(STATEFULSET_AVAILABLE, s.available(), ns, n);
        out.gauge(STATEFULSET_UPDATED, s.updated(), ns, n);
        out.gauge(STATEFULSET_OBSERVED_GENERATION, s.observedGeneration(), ns, n);
        out.gauge(STATEFULSET_GENERATION, s.generation(), ns, n);
        out.gauge(STATEFULSET_CURRENT_REVISION, 1, ns, n, s.currentRevision());
        out.gauge(STATEFULSET_UPDATE_REVISION, 1, ns, n, s.updateRevision());
    }
}
