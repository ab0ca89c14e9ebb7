package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.vedetta.agent.cluster.state.ObjectValues.Condition;
import java.util.List;
import java.util.Optional;

/**
 * {@code kube_horizontalpodautoscaler_*} (autoscaling/v2): the replica bounds, counts and conditions that
 * KubeHpaReplicasMismatch and KubeHpaMaxedOut read.
 */
final class HorizontalPodAutoscalerFamily
        extends Family<HorizontalPodAutoscaler, HorizontalPodAutoscalerFamily.State> {

    /** @param minReplicas -1 when unset (the API then means 1; kube-state-metrics writes no series) */
    record State(String namespace, String name, long generation, int minReplicas, int maxReplicas, int current,
            int desired, List<Condition> conditions) {
    }

    HorizontalPodAutoscalerFamily() {
        super("horizontalpodautoscalers", HorizontalPodAutoscaler.class,
                client -> client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().runnableInformer(0),
                HPA_GENERATION, HPA_MIN_REPLICAS, HPA_MAX_REPLICAS, HPA_CURRENT_REPLICAS, HPA_DESIRED_REPLICAS,
                HPA_CONDITION);
    }

    @Override
    State keep(HorizontalPodAutoscaler h) {
        HorizontalPodAutoscalerSpec spec = Optional.ofNullable(h.getSpec()).orElseGet(HorizontalPodAutoscalerSpec::new);
        HorizontalPodAutoscalerStatus status = Optional.ofNullable(h.getStatus())
                .orElseGet(HorizontalPodAutoscalerStatus::new);
        return new State(ObjectValues.namespace(h.getMetadata()), ObjectValues.name(h.getMetadata()),
                ObjectValues.count(h.getMetadata().getGeneration()),
                spec.getMinReplicas() == null ? -1 : spec.getMinReplicas(), ObjectValues.count(spec.getMaxReplicas()),
                ObjectValues.count(status.getCurrentReplicas()), ObjectValues.count(status.getDesiredReplicas()),
                status.getConditions() == null ? List.of() : status.getConditions().stream()
                        .map(c -> Condition.of(c.getType(), c.getStatus(), c.getReason())).toList());
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.gauge(HPA_GENERATION, s.generation(), ns, n);
        if (s.minReplicas() >= 0) {
            out.gauge(HPA_MIN_REPLICAS, s.minReplicas(), ns, n);
        }
        out.gauge(HPA_MAX_REPLICAS, s.maxReplicas(), ns, n);
        out.gauge(HPA_CURRENT_REPLICAS, s.current(), ns, n);
        out.gauge(HPA_DESIRED_REPLICAS, s.desired(), ns, n);
        for (Condition c : s.conditions()) {
            out.condition(HPA_CONDITION, c.status(), ns, n, c.type());
        }
    }
}
