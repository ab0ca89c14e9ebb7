package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code kube_persistentvolume_*}: each volume's phase (what KubePersistentVolumeErrors reads), capacity, storage
 * class and source, and the claim it is bound to. One phase series per phase, 1 for the volume's, as
 * kube-state-metrics writes them; none while the volume has no phase.
 */
final class PersistentVolumeFamily extends Family<PersistentVolume, PersistentVolumeFamily.State> {

    private static final List<String> PHASES = List.of("Pending", "Available", "Bound", "Released", "Failed");

    /**
     * @param capacityBytes NaN when the volume states no storage capacity
     * @param info          the values of {@code kube_persistentvolume_info}, the volume's name first
     * @param claim         the bound claim's name and namespace; null when the volume is not claimed
     */
    record State(String name, String phase, double capacityBytes, List<String> info, List<String> claim) {
    }

    PersistentVolumeFamily() {
        super("persistentvolumes", PersistentVolume.class, client -> client.persistentVolumes().runnableInformer(0),
                PV_PHASE, PV_CAPACITY, PV_INFO, PV_CLAIM_REF);
    }

    @Override
    State keep(PersistentVolume v) {
        PersistentVolumeSpec spec = Optional.ofNullable(v.getSpec()).orElseGet(PersistentVolumeSpec::new);
        ObjectReference claim = spec.getClaimRef();
        return new State(ObjectValues.name(v.getMetadata()),
                v.getStatus() == null ? "" : ObjectValues.intern(v.getStatus().getPhase()),
                spec.getCapacity() == null ? Double.NaN : ObjectValues.amount(spec.getCapacity().get("storage")),
                info(ObjectValues.name(v.getMetadata()), spec),
                claim == null ? null : List.of(ObjectValues.text(claim.getName()), ObjectValues.text(claim.getNamespace())));
    }

    /**
     * The volume's name and storage class, then the labels of the one volume source kube-state-metrics reads (the
     * first set, in its order of precedence), the others empty; lists such as an FC volume's WWIDs joined with commas,
     * as it joins them. Kept in the label order, so a scrape writes them without copying.
     */
    private static List<String> info(String name, PersistentVolumeSpec spec) {
        String[] values = new String[PV_INFO.labels().size()];
        Arrays.fill(values, "");
        values[0] = name;
        values[1] = ObjectValues.intern(spec.getStorageClassName());
        if (spec.getGcePersistentDisk() != null) {
            values[2] = ObjectValues.text(spec.getGcePersistentDisk().getPdName());
        } else if (spec.getAwsElasticBlockStore() != null) {
            values[3] = ObjectValues.text(spec.getAwsElasticBlockStore().getVolumeID());
        } else if (spec.getAzureDisk() != null) {
            values[4] = ObjectValues.text(spec.getAzureDisk().getDiskName());
        } else if (spec.getFc() != null) {
            values[5] = joined(spec.getFc().getWwids());
            values[6] = spec.getFc().getLun() == null ? "" : spec.getFc().getLun().toString();
            values[7] = joined(spec.getFc().getTargetWWNs());
        } else if (spec.getIscsi() != null) {
            values[8] = ObjectValues.text(spec.getIscsi().getTargetPortal());
            values[9] = ObjectValues.text(spec.getIscsi().getIqn());
            values[10] = spec.getIscsi().getLun() == null ? "" : spec.getIscsi().getLun().toString();
            values[11] = ObjectValues.text(spec.getIscsi().getInitiatorName());
        } else if (spec.getNfs() != null) {
            values[12] = ObjectValues.text(spec.getNfs().getServer());
            values[13] = ObjectValues.text(spec.getNfs().getPath());
        } else if (spec.getCsi() != null) {
            values[14] = ObjectValues.intern(spec.getCsi().getDriver());
            values[15] = ObjectValues.text(spec.getCsi().getVolumeHandle());
        } else if (spec.getLocal() != null) {
            values[16] = ObjectValues.text(spec.getLocal().getPath());
            values[17] = ObjectValues.intern(spec.getLocal().getFsType());
        } else if (spec.getHostPath() != null) {
            values[18] = ObjectValues.text(spec.getHostPath().getPath());
            values[19] = ObjectValues.intern(spec.getHostPath().getType());
        }
        return List.of(values);
    }

    private static String joined(List<String> values) {
        return values == null ? "" : String.join(",", values);
    }

    @Override
    void write(State s, SeriesWriter out) {
        if (!s.phase().isEmpty()) {
            out.oneOf(PV_PHASE, PHASES, s.phase(), s.name());
        }
        if (!Double.isNaN(s.capacityBytes())) {
            out.gauge(PV_CAPACITY, s.capacityBytes(), s.name());
        }
        out.gauge(PV_INFO, 1, s.info().toArray(String[]::new));
        if (s.claim() != null) {
            out.gauge(PV_CLAIM_REF, 1, s.name(), s.claim().get(0), s.claim().get(1));
        }
    }
}
