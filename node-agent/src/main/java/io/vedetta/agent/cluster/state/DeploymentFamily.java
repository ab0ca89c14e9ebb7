package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.vedetta.agent.cluster.state.ObjectValues.Condition;
import java.util.List;
import java.util.Optional;

/** {@code kube_deployment_*}: what the mixin's replica, generation and rollout alerts read. */
final class DeploymentFamily extends Family<Deployment, DeploymentFamily.State> {

    /**
     * @param specReplicas   -1 when unset
     * @param maxUnavailable the rolling update's limits scaled to the replicas, -1 without a rolling update
     */
    record State(String namespace, String name, double created, int specReplicas, boolean paused,
            int maxUnavailable, int maxSurge, int replicas, int ready, int available, int unavailable, int updated,
            long observedGeneration, long generation, List<Condition> conditions) {
    }

    DeploymentFamily() {
        super("deployments", Deployment.class,
                client -> client.apps().deployments().inAnyNamespace().runnableInformer(0),
                DEPLOYMENT_CREATED, DEPLOYMENT_SPEC_REPLICAS, DEPLOYMENT_SPEC_PAUSED, DEPLOYMENT_MAX_UNAVAILABLE,
                DEPLOYMENT_MAX_SURGE, DEPLOYMENT_REPLICAS, DEPLOYMENT_READY, DEPLOYMENT_AVAILABLE,
                DEPLOYMENT_UNAVAILABLE, DEPLOYMENT_UPDATED, DEPLOYMENT_OBSERVED_GENERATION, DEPLOYMENT_CONDITION,
                DEPLOYMENT_GENERATION);
    }

    @Override
    State keep(Deployment d) {
        DeploymentSpec spec = Optional.ofNullable(d.getSpec()).orElseGet(DeploymentSpec::new);
        DeploymentStatus status = Optional.ofNullable(d.getStatus()).orElseGet(DeploymentStatus::new);
        int replicas = spec.getReplicas() == null ? -1 : spec.getReplicas();
        RollingUpdateDeployment rolling = spec.getStrategy() == null ? null : spec.getStrategy().getRollingUpdate();
        int base = Math.max(replicas, 0);
        return new State(ObjectValues.namespace(d.getMetadata()), ObjectValues.name(d.getMetadata()),
                ObjectValues.seconds(d.getMetadata().getCreationTimestamp()), replicas,
                ObjectValues.flag(spec.getPaused()),
                rolling == null ? -1 : scaled(rolling.getMaxUnavailable(), base, false),
                rolling == null ? -1 : scaled(rolling.getMaxSurge(), base, true),
                ObjectValues.count(status.getReplicas()), ObjectValues.count(status.getReadyReplicas()),
                ObjectValues.count(status.getAvailableReplicas()), ObjectValues.count(status.getUnavailableReplicas()),
                ObjectValues.count(status.getUpdatedReplicas()), ObjectValues.count(status.getObservedGeneration()),
                ObjectValues.count(d.getMetadata().getGeneration()),
                status.getConditions() == null ? List.of() : status.getConditions().stream()
                        .map(c -> Condition.of(c.getType(), c.getStatus(), c.getReason())).toList());
    }

    /**
     * An int-or-percent limit as the controller applies it (Kubernetes' GetScaledValueFromIntOrPercent): a percent
     * of the replicas rounded down for maxUnavailable, up for maxSurge; -1 when unset or unreadable.
     */
    static int scaled(IntOrString value, int replicas, boolean roundUp) {
        if (value == null) {
            return -1;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text == null || !text.matches("\\d+%")) {
            return -1;
        }
        long percent = Long.parseLong(text.substring(0, text.length() - 1));
        double exact = percent * replicas / 100.0;
        return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.time(DEPLOYMENT_CREATED, s.created(), ns, n);
        if (s.specReplicas() >= 0) {
            out.gauge(DEPLOYMENT_SPEC_REPLICAS, s.specReplicas(), ns, n);
        }
        out.gauge(DEPLOYMENT_SPEC_PAUSED, s.paused() ? 1 : 0, ns, n);
        if (s.maxUnavailable() >= 0) {
            out.gauge(DEPLOYMENT_MAX_UNAVAILABLE, s.maxUnavailable(), ns, n);
        }
        if (s.maxSurge() >= 0) {
            out.gauge(DEPLOYMENT_MAX_SURGE, s.maxSurge(), ns, n);
        }
        out.gauge(DEPLOYMENT_REPLICAS, s.replicas(), ns, n);
        out.gauge(DEPLOYMENT_READY, s.ready(), ns, n);
        out.gauge(DEPLOYMENT_AVAILABLE, s.available(), ns, n);
        out.gauge(DEPLOYMENT_UNAVAILABLE, s.unavailable(), ns, n);
        out.gauge(DEPLOYMENT_UPDATED, s.updated(), ns, n);
        out.gauge(DEPLOYMENT_OBSERVED_GENERATION, s.observedGeneration(), ns, n);
        out.gauge(DEPLOYMENT_GENERATION, s.generation(), ns, n);
        for (Condition c : s.conditions()) {
            out.condition(DEPLOYMENT_CONDITION, c.status(), ns, n, c.reason(), c.type());
        }
    }
}
