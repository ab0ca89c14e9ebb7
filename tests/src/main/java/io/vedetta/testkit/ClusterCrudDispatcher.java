package io.vedetta.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * fabric8's CRUD mock API server (which already refuses stale resourceVersions with 409) with the three things a
 * cluster of agents needs from a real API server and CRUD mode lacks:
 * <ul>
 *   <li>Pod field selectors {@code spec.nodeName=X} (X may be empty: the pods of no node) on lists and watches: a
 *       watcher sees a pod arrive (ADDED) when it comes to match and leave (DELETED) when it stops matching, as the
 *       API server's watch cache filters them;</li>
 *   <li>a watch cache for events.k8s.io Events: a watch from a resource version replays every change after it (CRUD
 *       mode sends the current objects instead), answers 410 Gone for a version older than what is kept
 *       ({@link #compactEvents}), and sends bookmarks to watchers that ask;</li>
 *   <li>requests counted per client by User-Agent and kind ({@link #requests}), for API load per agent.</li>
 * </ul>
 * Node-scoped request paths are recorded as before ({@link #nodeScopedPaths}).
 */
public final class ClusterCrudDispatcher extends KubernetesCrudDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "/apis/events.k8s.io/v1/";

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final List<String> nodeScopedPaths = new CopyOnWriteArrayList<>();
    private final EventHistory events = new EventHistory();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        Query query = Query.of(path);
        count(request, query);
        if (request.getMethod().equals("GET") && isPods(query.path) && query.nodeName != null) {
            nodeScopedPaths.add(path);
            MockResponse response = super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(),
                    query.withoutNodeName(), request.getHeaders(), request.getBody()));
            return query.watch ? selectWatch(response, query.nodeName) : selectList(response, query.nodeName);
        }
        if (isEvents(query.path)) {
            if (request.getMethod().equals("GET") && query.watch && query.resourceVersion > 0) {
                return events.watch(query.resourceVersion, query.bookmarks);
            }
            if (!request.getMethod().equals("GET")) {
                // Recorded after the fact, in version order: a watch that starts in between gets the change either
                // from the history or live, never both, never neither.
                MockResponse response = super.dispatch(request);
                events.record(request.getMethod(), response);
                return response;
            }
        }
        return super.dispatch(request);
    }

    /**
     * Requests by client ({@code User-Agent}) and kind ("list or get pods", "watch events", "patch leases", …, with
     * "(spec.nodeName=X)" after a node-scoped one).
     */
    public Map<String, Map<String, Long>> requests() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        requests.forEach((key, count) -> {
            int bar = key.indexOf('|');
            out.computeIfAbsent(key.substring(0, bar), k -> new TreeMap<>()).put(key.substring(bar + 1), count.sum());
        });
        return out;
    }

    /** Every request path that carried a {@code spec.nodeName} field selector, as sent. */
    public List<String> nodeScopedPaths() {
        return List.copyOf(nodeScopedPaths);
    }

    /** Forgets the event changes up to {@code resourceVersion}, as etcd's compaction does: older watches get 410. */
    public void compactEvents(long resourceVersion) {
        events.compact(resourceVersion);
    }

    /** Sends a bookmark at the latest event version to every events watcher that asked for bookmarks. */
    public void sendEventBookmarks() {
        events.bookmarks();
    }

    private void count(RecordedRequest request, Query query) {
        String agent = String.valueOf(request.getHeader("User-Agent"));
        String resource = query.path.replaceAll("\\?.*", "");
        String[] parts = resource.split("/");
        String kind = parts.length == 0 ? "" : parts[parts.length - 1];
        if (resource.matches(".*/namespaces/[^/]+/[^/]+/[^/]+$")) {
            kind = parts[parts.length - 2];
        }
        String verb = switch (request.getMethod()) {
            case "GET" -> query.watch ? "watch" : "list or get";
            default -> request.getMethod().toLowerCase(java.util.Locale.ROOT);
        };
        String scope = query.nodeName == null ? "" : " (spec.nodeName=" + query.nodeName + ")";
        requests.computeIfAbsent(agent + "|" + verb + " " + kind + scope, k -> new LongAdder()).increment();
    }

    private static boolean isPods(String path) {
        return path.equals("/api/v1/pods") || path.matches("/api/v1/namespaces/[^/]+/pods");
    }

    private static boolean isEvents(String path) {
        return path.startsWith(EVENTS) && (path.endsWith("/events") || path.matches(".*/events/[^/]+$"));
    }

    private static MockResponse selectList(MockResponse response, String nodeName) {
        if (response.code() != 200) {
            return response;
        }
        try {
            ObjectNode list = (ObjectNode) JSON.readTree(response.getBody().readUtf8());
            ArrayNode kept = JSON.createArrayNode();
            list.withArray("items").forEach(item -> {
                if (nodeName.equals(item.path("spec").path("nodeName").asText(""))) {
                    kept.add(item);
                }
            });
            list.set("items", kept);
            return response.setBody(JSON.writeValueAsString(list));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse selectWatch(MockResponse response, String nodeName) {
        WebSocketListener inner = response.getWebSocketListener();
        return inner == null ? response : response.withWebSocketUpgrade(new NodeSelectingListener(inner, nodeName));
    }

    /** The parts of a request path this dispatcher acts on. */
    private record Query(String path, String rawQuery, boolean watch, String nodeName, long resourceVersion,
            boolean bookmarks) {

        static Query of(String full) {
            int q = full.indexOf('?');
            String path = q < 0 ? full : full.substring(0, q);
            String raw = q < 0 ? "" : full.substring(q + 1);
            boolean watch = false;
            boolean bookmarks = false;
            String nodeName = null;
            long rv = 0;
            for (String param : raw.split("&")) {
                String decoded = URLDecoder.decode(param, StandardCharsets.UTF_8);
                if (decoded.equals("watch=true")) {
                    watch = true;
                } else if (decoded.equals("allowWatchBookmarks=true")) {
                    bookmarks = true;
                } else if (decoded.startsWith("fieldSelector=spec.nodeName=")) {
                    nodeName = decoded.substring("fieldSelector=spec.nodeName=".length());
                } else if (decoded.startsWith("resourceVersion=") && decoded.length() > "resourceVersion=".length()) {
                    rv = Long.parseLong(decoded.substring("resourceVersion=".length()));
                }
            }
            return new Query(path, raw, watch, nodeName, rv, bookmarks);
        }

        String withoutNodeName() {
            List<String> kept = new ArrayList<>();
            for (String param : rawQuery.split("&")) {
                if (!URLDecoder.decode(param, StandardCharsets.UTF_8).startsWith("fieldSelector=spec.nodeName=")
                        && !param.isEmpty()) {
                    kept.add(param);
                }
            }
            return path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        }
    }

    /**
     * Filters what CRUD mode's watch sends to the pods of one node (or of none), turning a pod that starts or stops
     * matching into ADDED or DELETED for this watcher.
     */
    private static final class NodeSelectingListener extends WebSocketListener {
        private final WebSocketListener inner;
        private final String nodeName;
        private final Set<String> sent = new HashSet<>();
        private volatile WebSocket selecting;

        NodeSelectingListener(WebSocketListener inner, String nodeName) {
            this.inner = inner;
            this.nodeName = nodeName;
        }

        private WebSocket selecting(WebSocket socket) {
            if (selecting == null) {
                selecting = new WebSocket() {
                    @Override
                    public RecordedRequest request() {
                        return socket.request();
                    }

                    @Override
                    public boolean send(String text) {
                        String selected = select(text);
                        return selected == null || socket.send(selected);
                    }

                    @Override
                    public boolean send(byte[] bytes) {
                        return send(new String(bytes, StandardCharsets.UTF_8));
                    }

                    @Override
                    public boolean close(int code, String reason) {
                        return socket.close(code, reason);
                    }
                };
            }
            return selecting;
        }

        /** The message this watcher gets for {@code text}, or null for none. */
        private synchronized String select(String text) {
            ObjectNode event;
            try {
                event = (ObjectNode) JSON.readTree(text);
            } catch (IOException | ClassCastException e) {
                return text;
            }
            JsonNode pod = event.path("object");
            if (!"Pod".equals(pod.path("kind").asText())) {
                return text;
            }
            String key = pod.path("metadata").path("namespace").asText() + "/" + pod.path("metadata").path("name").asText();
            boolean matches = nodeName.equals(pod.path("spec").path("nodeName").asText(""));
            boolean known = sent.contains(key);
            String type = event.path("type").asText();
            String now;
            if (type.equals("DELETED")) {
                now = known ? "DELETED" : null;
            } else if (matches) {
                now = known ? type : "ADDED";
            } else {
                now = known ? "DELETED" : null;
            }
            if (now == null) {
                return null;
            }
            if (now.equals("DELETED")) {
                sent.remove(key);
            } else {
                sent.add(key);
            }
            event.put("type", now);
            return event.toString();
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            inner.onBeforeAccept(selecting(webSocket), response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            inner.onOpen(selecting(webSocket), response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            inner.onMessage(selecting(webSocket), text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            inner.onClosing(selecting(webSocket), code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            inner.onClosed(selecting(webSocket), code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            inner.onFailure(selecting(webSocket), t, response);
        }
    }
}
