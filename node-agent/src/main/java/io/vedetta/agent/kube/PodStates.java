package io.vedetta.agent.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.vedetta.pods.PodInfo.ContainerInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the fabric8 pod model (where any field may be null) into the agent's immutable {@link PodState}.
 */
public final class PodStates {

    private PodStates() {
    }

    public static PodState from(Pod pod) {
        ObjectMeta meta = Optional.ofNullable(pod.getMetadata()).orElseGet(ObjectMeta::new);
        PodSpec spec = Optional.ofNullable(pod.getSpec()).orElseGet(PodSpec::new);
        PodStatus status = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        Optional<OwnerReference> owner = controller(meta.getOwnerReferences());
        Optional<PodCondition> scheduled = list(status.getConditions()).stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst();
        return PodState.of(
                text(meta.getNamespace()),
                text(meta.getName()),
                text(meta.getUid()),
                text(spec.getNodeName()),
                map(meta.getLabels()),
                map(meta.getAnnotations()),
                owner.map(OwnerReference::getKind).map(PodStates::text).orElse(""),
                owner.map(OwnerReference::getName).map(PodStates::text).orElse(""),
                text(status.getPhase()),
                text(status.getReason()),
                text(status.getHostIP()),
                text(status.getPodIP()),
                text(spec.getPriorityClassName()),
                Boolean.TRUE.equals(spec.getHostNetwork()),
                containers(spec.getInitContainers(), status.getInitContainerStatuses()),
                containers(spec.getContainers(), status.getContainerStatuses()),
                list(meta.getOwnerReferences()).stream()
                        .map(o -> new PodState.Owner(text(o.getKind()), text(o.getName()),
                                Boolean.TRUE.equals(o.getController())))
                        .toList(),
                list(status.getConditions()).stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .map(c -> text(c.getStatus()))
                        .findFirst().orElse(""),
                scheduled.map(PodCondition::getStatus).map(PodStates::text).orElse(""),
                scheduled.map(PodCondition::getLastTransitionTime).map(PodStates::seconds).orElse(Double.NaN));
    }

    private static double seconds(String timestamp) {
        try {
            return Instant.parse(timestamp).getEpochSecond();
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }

    /** Container IDs arrive as {@code containerd://abc…}; files and cgroups know only the bare ID. */
    public static String bareContainerId(String containerId) {
        if (containerId == null) {
            return "";
        }
        int scheme = containerId.indexOf("://");
        return scheme < 0 ? containerId : containerId.substring(scheme + 3);
    }

    /** The runtime a container ID names: {@code containerd} of {@code containerd://abc…}, empty without a scheme. */
    static String runtime(String containerId) {
        int scheme = containerId.indexOf("://");
        return scheme < 0 ? "" : containerId.substring(0, scheme);
    }

    private static Optional<OwnerReference> controller(List<OwnerReference> owners) {
        return list(owners).stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }

    private static List<ContainerState> containers(List<Container> specs, List<ContainerStatus> statuses) {
        Map<String, ContainerStatus> byName = list(statuses).stream()
                .filter(s -> s.getName() != null)
                .collect(Collectors.toMap(ContainerStatus::getName, Function.identity(), (a, b) -> b));
        return list(specs).stream()
                .filter(c -> c.getName() != null)
                .map(c -> container(c, Optional.ofNullable(byName.get(c.getName()))))
                .toList();
    }

    private static ContainerState container(Container spec, Optional<ContainerStatus> status) {
        Optional<io.fabric8.kubernetes.api.model.ContainerState> now =
                status.map(ContainerStatus::getState);
        Optional<ContainerStateTerminated> last = status.map(ContainerStatus::getLastState)
                .map(io.fabric8.kubernetes.api.model.ContainerState::getTerminated);
        return new ContainerState(
                new ContainerInfo(
                        spec.getName(),
                        text(spec.getImage()),
                        status.map(ContainerStatus::getImageID).map(PodStates::text).orElse(""),
                        status.map(ContainerStatus::getContainerID).map(PodStates::bareContainerId).orElse(""),
                        status.map(ContainerStatus::getContainerID).map(PodStates::runtime).orElse(""),
                        status.map(ContainerStatus::getRestartCount).orElse(0)),
                status.map(ContainerStatus::getReady).map(Boolean.TRUE::equals).orElse(false),
                status.map(ContainerStatus::getRestartCount).orElse(0),
                now.map(io.fabric8.kubernetes.api.model.ContainerState::getWaiting).map(w -> text(w.getReason())),
                now.map(io.fabric8.kubernetes.api.model.ContainerState::getTerminated).map(t -> text(t.getReason())),
                last.map(t -> text(t.getReason())),
                last.map(ContainerStateTerminated::getContainerID).map(PodStates::bareContainerId).orElse(""),
                amounts(spec.getResources() == null ? null : spec.getResources().getRequests()),
                amounts(spec.getResources() == null ? null : spec.getResources().getLimits()),
                list(spec.getPorts()).stream()
                        .filter(p -> p.getContainerPort() != null)
                        .map(p -> new ContainerState.Port(text(p.getName()), p.getContainerPort(),
                                p.getProtocol() == null ? "TCP" : p.getProtocol()))
                        .toList());
    }

    /** Quantities in base units: {@code 500m} CPU is 0.5 cores, {@code 1Gi} memory is 1073741824 bytes. */
    private static Map<String, Double> amounts(Map<String, Quantity> quantities) {
        if (quantities == null) {
            return Map.of();
        }
        Map<String, Double> out = new java.util.TreeMap<>();
        quantities.forEach((resource, quantity) -> {
            try {
                out.put(resource, quantity.getNumericalAmount().doubleValue());
            } catch (ArithmeticException | IllegalArgumentException e) {
                // A quantity the API server accepted but we cannot read is left out; the rest still count.
            }
        });
        return out;
    }

    private static String text(String value) {
        return Objects.requireNonNullElse(value, "");
    }

    private static Map<String, String> map(Map<String, String> values) {
        return values == null ? Map.of() : values;
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
