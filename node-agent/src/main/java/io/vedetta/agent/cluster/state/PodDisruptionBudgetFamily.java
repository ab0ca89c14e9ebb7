package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import java.util.Optional;

/** {@code kube_poddisruptionbudget_*} (policy/v1): the healthy counts KubePdbNotEnoughHealthyPods compares. */
final class PodDisruptionBudgetFamily extends Family<PodDisruptionBudget, PodDisruptionBudgetFamily.State> {

    record State(String namespace, String name, double created, int currentHealthy, int desiredHealthy,
            int disruptionsAllowed, int expectedPods, long observedGeneration) {
    }

    PodDisruptionBudgetFamily() {
        super("poddisruptionbudgets", PodDisruptionBudget.class,
                client -> client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0),
                PDB_CREATED, PDB_CURRENT_HEALTHY, PDB_DESIRED_HEALTHY, PDB_DISRUPTIONS_ALLOWED, PDB_EXPECTED_PODS,
                PDB_OBSERVED_GENERATION);
    }

    @Override
    State keep(PodDisruptionBudget p) {
        PodDisruptionBudgetStatus status = Optional.ofNullable(p.getStatus())
                .orElseGet(PodDisruptionBudgetStatus::new);
        return new State(ObjectValues.namespace(p.getMetadata()), ObjectValues.name(p.getMetadata()),
                ObjectValues.seconds(p.getMetadata().getCreationTimestamp()), ObjectValues.count(status.getCurrentHealthy()),
                ObjectValues.count(status.getDesiredHealthy()), ObjectValues.count(status.getDisruptionsAllowed()),
                ObjectValues.count(status.getExpectedPods()), ObjectValues.count(status.getObservedGeneration()));
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.time(PDB_CREATED, s.created(), ns, n);
        out.gauge(PDB_CURRENT_HEALTHY, s.currentHealthy(), ns, n);
        out.gauge(PDB_DESIRED_HEALTHY, s.desiredHealthy(), ns, n);
        out.gauge(PDB_DISRUPTIONS_ALLOWED, s.disruptionsAllowed(), ns, n);
        out.gauge(PDB_EXPECTED_PODS, s.expectedPods(), ns, n);
        out.gauge(PDB_OBSERVED_GENERATION, s.observedGeneration(), ns, n);
    }
}
