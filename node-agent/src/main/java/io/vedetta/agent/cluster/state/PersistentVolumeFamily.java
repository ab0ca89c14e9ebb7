package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.List;

/**
 * {@code kube_persistentvolume_*}: each volume's phase (what KubePersistentVolumeErrors reads) and capacity. One
 * phase series per phase, 1 for the volume's, as kube-state-metrics writes them; none while the volume has no phase.
 */
final class PersistentVolumeFamily extends Family<PersistentVolume, PersistentVolumeFamily.State> {

    private static final List<String> PHASES = List.of("Pending", "Available", "Bound", "Released", "Failed");

    /** @param capacityBytes NaN when the volume states no storage capacity */
    record State(String name, String phase, double capacityBytes) {
    }

    PersistentVolumeFamily() {
        super("persistentvolumes", PersistentVolume.class, client -> client.persistentVolumes().runnableInformer(0),
                PV_PHASE, PV_CAPACITY);
    }

    @Override
    State keep(PersistentVolume v) {
        return new State(ObjectValues.name(v.getMetadata()),
                v.getStatus() == null ? "" : ObjectValues.intern(v.getStatus().getPhase()),
                v.getSpec() == null || v.getSpec().getCapacity() == null ? Double.NaN
                        : ObjectValues.amount(v.getSpec().getCapacity().get("storage")));
    }

    @Override
    void write(State s, SeriesWriter out) {
        if (!s.phase().isEmpty()) {
            out.oneOf(PV_PHASE, PHASES, s.phase(), s.name());
        }
        if (!Double.isNaN(s.capacityBytes())) {
            out.gauge(PV_CAPACITY, s.capacityBytes(), s.name());
        }
    }
}
