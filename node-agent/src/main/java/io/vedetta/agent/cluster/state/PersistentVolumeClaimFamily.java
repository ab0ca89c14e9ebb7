package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code kube_persistentvolumeclaim_*}: phase, class, volume and requested size of every claim. */
final class PersistentVolumeClaimFamily extends Family<PersistentVolumeClaim, PersistentVolumeClaimFamily.State> {

    private static final List<String> PHASES = List.of("Lost", "Bound", "Pending");
    /** The storage class before spec.storageClassName existed; kube-state-metrics still prefers it. */
    private static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    /** @param requestBytes NaN when the claim requests no storage */
    record State(String namespace, String name, double created, String storageClass, String volumeName,
            String volumeMode, String phase, double requestBytes, List<String> accessModes) {
    }

    PersistentVolumeClaimFamily() {
        super("persistentvolumeclaims", PersistentVolumeClaim.class,
                client -> client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0),
                PVC_INFO, PVC_PHASE, PVC_STORAGE_REQUEST, PVC_ACCESS_MODE, PVC_CREATED);
    }

    @Override
    State keep(PersistentVolumeClaim p) {
        PersistentVolumeClaimSpec spec = Optional.ofNullable(p.getSpec()).orElseGet(PersistentVolumeClaimSpec::new);
        Map<String, String> annotations = p.getMetadata().getAnnotations();
        String storageClass = annotations != null && annotations.containsKey(BETA_CLASS_ANNOTATION)
                ? annotations.get(BETA_CLASS_ANNOTATION) : spec.getStorageClassName();
        Quantity request = spec.getResources() == null || spec.getResources().getRequests() == null ? null
                : spec.getResources().getRequests().get("storage");
        double bytes = ObjectValues.NO_TIME;
        if (request != null) {
            try {
                bytes = request.getNumericalAmount().doubleValue();
            } catch (ArithmeticException | IllegalArgumentException e) {
                // Left out, as kube-state-metrics leaves out what it cannot read.
            }
        }
        return new State(ObjectValues.namespace(p.getMetadata()), ObjectValues.name(p.getMetadata()),
                ObjectValues.seconds(p.getMetadata().getCreationTimestamp()), ObjectValues.intern(storageClass),
                ObjectValues.text(spec.getVolumeName()), ObjectValues.intern(spec.getVolumeMode()),
                p.getStatus() == null ? "" : ObjectValues.intern(p.getStatus().getPhase()), bytes,
                spec.getAccessModes() == null ? List.of()
                        : spec.getAccessModes().stream().map(ObjectValues::intern).toList());
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.gauge(PVC_INFO, 1, ns, n, s.storageClass(), s.volumeName(), s.volumeMode());
        for (String phase : PHASES) {
            out.gauge(PVC_PHASE, phase.equals(s.phase()) ? 1 : 0, ns, n, phase);
        }
        if (!Double.isNaN(s.requestBytes())) {
            out.gauge(PVC_STORAGE_REQUEST, s.requestBytes(), ns, n);
        }
        for (String mode : s.accessModes()) {
            out.gauge(PVC_ACCESS_MODE, 1, ns, n, mode);
        }
        out.time(PVC_CREATED, s.created(), ns, n);
    }
}
