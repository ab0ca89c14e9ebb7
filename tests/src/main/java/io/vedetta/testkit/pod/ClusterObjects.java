package io.vedetta.testkit.pod;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ConfigMaps, Secrets and Services of the pod's namespace that the kubelet would read from the API server. */
final class ClusterObjects {

    private final String namespace;
    private final List<JsonNode> objects;

    ClusterObjects(String namespace, List<JsonNode> objects) {
        this.namespace = namespace;
        this.objects = objects;
    }

    /** The keys of ConfigMap {@code name}, or null when it does not exist. */
    Map<String, byte[]> configMap(String name) {
        JsonNode object = find("ConfigMap", name);
        if (object == null) {
            return null;
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        fields(object.path("data")).forEach((k, v) -> out.put(k, v.asText().getBytes(StandardCharsets.UTF_8)));
        fields(object.path("binaryData")).forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v.asText())));
        return out;
    }

    /** The keys of Secret {@code name}, or null when it does not exist. */
    Map<String, byte[]> secret(String name) {
        JsonNode object = find("Secret", name);
        if (object == null) {
            return null;
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        fields(object.path("data")).forEach((k, v) -> out.put(k, Base64.getMimeDecoder().decode(v.asText())));
        fields(object.path("stringData")).forEach((k, v) -> out.put(k, v.asText().getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /** The Services of the namespace, with a cluster IP each (the one set, or one made up as the API server would). */
    Map<String, String> serviceVariables() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode service : objects) {
            if (!"Service".equals(service.path("kind").asText()) || !inNamespace(service)) {
                continue;
            }
            String name = service.path("metadata").path("name").asText();
            String clusterIp = service.path("spec").path("clusterIP").asText("");
            if (clusterIp.equals("None")) {
                continue;
            }
            if (clusterIp.isEmpty()) {
                int hash = name.hashCode() & 0xffff;
                clusterIp = "10.96." + (1 + (hash >> 8) % 254) + "." + (1 + (hash & 0xff) % 254);
            }
            List<ContainerEnv.ServicePort> ports = new java.util.ArrayList<>();
            for (JsonNode port : service.path("spec").path("ports")) {
                ports.add(new ContainerEnv.ServicePort(port.path("name").asText(null), port.path("port").asInt(),
                        port.path("protocol").asText("TCP")));
            }
            out.putAll(ContainerEnv.serviceVariables(name, clusterIp, ports));
        }
        return out;
    }

    private JsonNode find(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && inNamespace(o)
                && name.equals(o.path("metadata").path("name").asText())).findFirst().orElse(null);
    }

    private boolean inNamespace(JsonNode object) {
        String ns = object.path("metadata").path("namespace").asText("");
        return ns.isEmpty() || ns.equals(namespace);
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.put(field.getKey(), field.getValue());
        }
        return out;
    }
}
