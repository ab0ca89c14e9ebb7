package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kube_resourcequota}: each quota's hard limit and current use per resource, under the resource names the
 * quota gives ({@code requests.cpu}, {@code count/pods}), as KubeQuotaAlmostFull, KubeQuotaFullyUsed,
 * KubeQuotaExceeded and the quota overcommit rules read them. Only the status is kept (the hard limits the quota
 * controller observed, and what is used), as kube-state-metrics reads it.
 */
final class ResourceQuotaFamily extends Family<ResourceQuota, ResourceQuotaFamily.State> {

    record Amount(String resource, String type, double value) {
    }

    record State(String namespace, String name, double created, List<Amount> amounts) {
    }

    ResourceQuotaFamily() {
        super("resourcequotas", ResourceQuota.class,
                client -> client.resourceQuotas().inAnyNamespace().runnableInformer(0),
                RESOURCEQUOTA, RESOURCEQUOTA_CREATED);
    }

    @Override
    State keep(ResourceQuota q) {
        ResourceQuotaStatus status = q.getStatus() == null ? new ResourceQuotaStatus() : q.getStatus();
        List<Amount> amounts = new ArrayList<>();
        add(amounts, status.getHard(), "hard");
        add(amounts, status.getUsed(), "used");
        return new State(ObjectValues.namespace(q.getMetadata()), ObjectValues.name(q.getMetadata()),
                ObjectValues.seconds(q.getMetadata().getCreationTimestamp()), List.copyOf(amounts));
    }

    private static void add(List<Amount> out, Map<String, Quantity> quantities, String type) {
        if (quantities == null) {
            return;
        }
        quantities.forEach((resource, quantity) -> {
            double value = ObjectValues.amount(quantity);
            if (!Double.isNaN(value)) {
                out.add(new Amount(ObjectValues.intern(resource), type, value));
            }
        });
    }

    @Override
    void write(State s, SeriesWriter out) {
        out.time(RESOURCEQUOTA_CREATED, s.created(), s.namespace(), s.name());
        for (Amount a : s.amounts()) {
            out.gauge(RESOURCEQUOTA, a.value(), s.namespace(), s.name(), a.resource(), a.type());
        }
    }
}
