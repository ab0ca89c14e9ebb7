package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import java.util.Optional;

/** {@code kube_daemonset_*}: scheduling and rollout counts, as the mixin's DaemonSet alerts read them. */
final class DaemonSetFamily extends Family<DaemonSet, DaemonSetFamily.State> {

    record State(String namespace, String name, double created, int current, int desired, int available,
            int misscheduled, int ready, int unavailable, long observedGeneration, int updated, long generation) {
    }

    DaemonSetFamily() {
        super("daemonsets", DaemonSet.class, client -> client.apps().daemonSets().inAnyNamespace().runnableInformer(0),
                DAEMONSET_CREATED, DAEMONSET_CURRENT, DAEMONSET_DESIRED, DAEMONSET_AVAILABLE, DAEMONSET_MISSCHEDULED,
                DAEMONSET_READY, DAEMONSET_UNAVAILABLE, DAEMONSET_OBSERVED_GENERATION, DAEMONSET_UPDATED,
                DAEMONSET_GENERATION);
    }

    @Override
    State keep(DaemonSet d) {
        DaemonSetStatus status = Optional.ofNullable(d.getStatus()).orElseGet(DaemonSetStatus::new);
        return new State(ObjectValues.namespace(d.getMetadata()), ObjectValues.name(d.getMetadata()),
                ObjectValues.seconds(d.getMetadata().getCreationTimestamp()),
                ObjectValues.count(status.getCurrentNumberScheduled()),
                ObjectValues.count(status.getDesiredNumberScheduled()),
                ObjectValues.count(status.getNumberAvailable()), ObjectValues.count(status.getNumberMisscheduled()),
                ObjectValues.count(status.getNumberReady()), ObjectValues.count(status.getNumberUnavailable()),
                ObjectValues.count(status.getObservedGeneration()),
                ObjectValues.count(status.getUpdatedNumberScheduled()),
                ObjectValues.count(d.getMetadata().getGeneration()));
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.time(DAEMONSET_CREATED, s.created(), ns, n);
        out.gauge(DAEMONSET_CURRENT, s.current(), ns, n);
        out.gauge(DAEMONSET_DESIRED, s.desired(), ns, n);
        out.gauge(DAEMONSET_AVAILABLE, s.available(), ns, n);
        out.gauge(DAEMONSET_MISSCHEDULED, s.misscheduled(), ns, n);
        out.gauge(DAEMONSET_READY, s.ready(), ns, n);
        out.gauge(DAEMONSET_UNAVAILABLE, s.unavailable(), ns, n);
        out.gauge(DAEMONSET_OBSERVED_GENERATION, s.observedGeneration(), ns, n);
        out.gauge(DAEMONSET_UPDATED, s.updated(), ns, n);
        out.gauge(DAEMONSET_GENERATION, s.generation(), ns, n);
    }
}
