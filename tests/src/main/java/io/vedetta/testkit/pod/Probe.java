package io.vedetta.testkit.pod;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A liveness or readiness probe as the kubelet runs it: an HTTP GET to the pod's address on the probe's port (a name
 * is looked up in the container's ports), the first after {@code initialDelaySeconds}, then every
 * {@code periodSeconds}, each given {@code timeoutSeconds}; a status from 200 to 399 is a success. The result flips
 * after {@code failureThreshold} failures or {@code successThreshold} successes in a row.
 */
record Probe(String path, int port, Map<String, String> headers, Duration initialDelay, Duration period,
        Duration timeout, int failureThreshold, int successThreshold, Integer terminationGracePeriodSeconds) {

    static Probe of(io.fabric8.kubernetes.api.model.Probe spec, List<ContainerPort> ports, String which) {
        if (spec == null) {
            return null;
        }
        if (spec.getHttpGet() == null) {
            throw new UnsupportedPodSpecException("the pod runner runs httpGet probes only, not " + which + "'s");
        }
        String scheme = spec.getHttpGet().getScheme();
        if (scheme != null && !scheme.equals("HTTP")) {
            throw new UnsupportedPodSpecException("the pod runner does not support " + which + " scheme " + scheme);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (HTTPHeader header : spec.getHttpGet().getHttpHeaders() == null ? List.<HTTPHeader>of()
                : spec.getHttpGet().getHttpHeaders()) {
            headers.put(header.getName(), header.getValue());
        }
        return new Probe(spec.getHttpGet().getPath() == null ? "/" : spec.getHttpGet().getPath(),
                port(spec.getHttpGet().getPort(), ports, which), headers,
                Duration.ofSeconds(orDefault(spec.getInitialDelaySeconds(), 0)),
                Duration.ofSeconds(orDefault(spec.getPeriodSeconds(), 10)),
                Duration.ofSeconds(orDefault(spec.getTimeoutSeconds(), 1)),
                orDefault(spec.getFailureThreshold(), 3),
                orDefault(spec.getSuccessThreshold(), 1),
                spec.getTerminationGracePeriodSeconds() == null ? null : spec.getTerminationGracePeriodSeconds().intValue());
    }

    private static int port(IntOrString port, List<ContainerPort> ports, String which) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return (ports == null ? List.<ContainerPort>of() : ports).stream()
                .filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new PodStartException(which + " names port " + port.getStrVal()
                        + ", which the container does not declare"));
    }

    private static int orDefault(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }
}
