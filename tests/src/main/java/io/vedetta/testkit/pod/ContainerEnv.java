package io.vedetta.testkit.pod;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A container's environment as the kubelet and the runtime build it: the image's variables, {@code HOSTNAME}, the
 * service variables of the pod's namespace and of the API server ({@code KUBERNETES_SERVICE_HOST}, ...), then the
 * container's {@code env} in order, each value with {@code $(NAME)} references to variables defined before it expanded
 * ({@code $$(NAME)} stays literal) and {@code valueFrom} resolved from the pod's own fields, Secrets and ConfigMaps.
 */
final class ContainerEnv {

    private ContainerEnv() {
    }

    /** What {@code fieldRef} can read: the pod's fields as the API server and the kubelet know them. */
    record PodFields(String name, String namespace, String uid, String nodeName, String serviceAccountName,
            String hostIp, String podIp, Map<String, String> labels, Map<String, String> annotations) {

        String get(String fieldPath) {
            return switch (fieldPath) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                case "metadata.uid" -> uid;
                case "spec.nodeName" -> nodeName;
                case "spec.serviceAccountName" -> serviceAccountName;
                case "status.hostIP", "status.hostIPs" -> hostIp;
                case "status.podIP", "status.podIPs" -> podIp;
                default -> fromMap(fieldPath);
            };
        }

        private String fromMap(String fieldPath) {
            for (Map.Entry<String, Map<String, String>> map : Map.of("metadata.labels", labels,
                    "metadata.annotations", annotations).entrySet()) {
                String prefix = map.getKey() + "['";
                if (fieldPath.startsWith(prefix) && fieldPath.endsWith("']")) {
                    return map.getValue().getOrDefault(fieldPath.substring(prefix.length(), fieldPath.length() - 2), "");
                }
            }
            throw new UnsupportedPodSpecException("the pod runner does not resolve fieldRef " + fieldPath);
        }
    }

    /** Reads a key of a Secret or ConfigMap of the pod's namespace; null when the object or key is missing. */
    interface KeyLookup {
        byte[] secretKey(String name, String key);

        byte[] configMapKey(String name, String key);
    }

    static Map<String, String> build(Map<String, String> imageEnv, String hostname, Map<String, String> serviceEnv,
            List<EnvVar> env, PodFields pod, KeyLookup keys) {
        Map<String, String> out = new LinkedHashMap<>(imageEnv);
        out.put("HOSTNAME", hostname);
        Map<String, String> defined = new LinkedHashMap<>(serviceEnv);
        for (EnvVar variable : env == null ? List.<EnvVar>of() : env) {
            String value = variable.getValueFrom() != null
                    ? valueFrom(variable.getName(), variable.getValueFrom(), pod, keys)
                    : expand(variable.getValue() == null ? "" : variable.getValue(), defined::get);
            if (value != null) {
                defined.put(variable.getName(), value);
            }
        }
        out.putAll(defined);
        return out;
    }

    /** The kubelet's variables for a Service named {@code name} at {@code clusterIp} with its ports. */
    static Map<String, String> serviceVariables(String name, String clusterIp, List<ServicePort> ports) {
        Map<String, String> out = new LinkedHashMap<>();
        if (ports.isEmpty()) {
            return out;
        }
        String prefix = name.toUpperCase(Locale.ROOT).replace('-', '_');
        out.put(prefix + "_SERVICE_HOST", clusterIp);
        out.put(prefix + "_SERVICE_PORT", String.valueOf(ports.get(0).port()));
        for (ServicePort port : ports) {
            if (port.name() != null && !port.name().isEmpty()) {
                out.put(prefix + "_SERVICE_PORT_" + port.name().toUpperCase(Locale.ROOT).replace('-', '_'),
                        String.valueOf(port.port()));
            }
        }
        ServicePort first = ports.get(0);
        out.put(prefix + "_PORT", first.protocol().toLowerCase(Locale.ROOT) + "://" + clusterIp + ":" + first.port());
        for (ServicePort port : ports) {
            String protocol = port.protocol().toUpperCase(Locale.ROOT);
            String key = prefix + "_PORT_" + port.port() + "_" + protocol;
            out.put(key, protocol.toLowerCase(Locale.ROOT) + "://" + clusterIp + ":" + port.port());
            out.put(key + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            out.put(key + "_PORT", String.valueOf(port.port()));
            out.put(key + "_ADDR", clusterIp);
        }
        return out;
    }

    record ServicePort(String name, int port, String protocol) {
    }

    private static String valueFrom(String name, EnvVarSource source, PodFields pod, KeyLookup keys) {
        if (source.getFieldRef() != null) {
            return pod.get(source.getFieldRef().getFieldPath());
        }
        if (source.getSecretKeyRef() != null) {
            return key(name, "Secret", source.getSecretKeyRef().getName(), source.getSecretKeyRef().getKey(),
                    source.getSecretKeyRef().getOptional(), keys::secretKey);
        }
        if (source.getConfigMapKeyRef() != null) {
            return key(name, "ConfigMap", source.getConfigMapKeyRef().getName(), source.getConfigMapKeyRef().getKey(),
                    source.getConfigMapKeyRef().getOptional(), keys::configMapKey);
        }
        throw new UnsupportedPodSpecException("the pod runner does not resolve env " + name + "'s valueFrom");
    }

    private static String key(String variable, String kind, String object, String key, Boolean optional,
            java.util.function.BiFunction<String, String, byte[]> lookup) {
        byte[] value = lookup.apply(object, key);
        if (value == null) {
            if (Boolean.TRUE.equals(optional)) {
                return null;
            }
            throw new PodStartException("CreateContainerConfigError: env " + variable + " needs key " + key + " of "
                    + kind + " " + object + ", which does not exist");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Kubernetes' {@code $(NAME)} expansion: a reference to a defined variable is replaced, an undefined one is left
     * as written, and {@code $$} is one literal {@code $}.
     */
    static String expand(String input, Function<String, String> lookup) {
        StringBuilder out = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i++;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length());
                    break;
                }
                String value = lookup.apply(input.substring(i + 2, close));
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
