package io.vedetta.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The API server's watch cache for events, as far as {@link ClusterCrudDispatcher} needs it: every change of an
 * Event in resource-version order, replayed to a watch that starts from a version, with 410 Gone for a version older
 * than what is kept, and bookmarks. Its lock orders changes and watch starts, so a watcher gets each change once;
 * changes made concurrently may reach live watchers out of version order, which a real API server avoids and
 * which a watcher must survive anyway (resuming from the last version it saw replays what came before it).
 */
final class EventHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeMap<Long, String> changes = new TreeMap<>();
    private final Set<Watcher> watchers = new CopyOnWriteArraySet<>();
    /** Versions up to this one are forgotten. */
    private long compactedTo;
    private long latest;

    /** Records the result of a create, update, patch or delete the CRUD dispatcher just answered. */
    synchronized void record(String method, MockResponse response) {
        if (response.code() >= 300 || response.getBody() == null) {
            return;
        }
        JsonNode object;
        try {
            object = JSON.readTree(response.getBody().getBytes());
        } catch (IOException e) {
            return;
        }
        if (!"Event".equals(object.path("kind").asText())) {
            return;
        }
        long rv = object.path("metadata").path("resourceVersion").asLong(0);
        if (rv == 0) {
            return;
        }
        String type = switch (method) {
            case "POST" -> "ADDED";
            case "DELETE" -> "DELETED";
            default -> "MODIFIED";
        };
        String event = JSON.createObjectNode().put("type", type).set("object", object).toString();
        changes.put(rv, event);
        latest = Math.max(latest, rv);
        watchers.forEach(w -> w.send(event));
    }

    synchronized void compact(long resourceVersion) {
        changes.headMap(resourceVersion, true).clear();
        compactedTo = Math.max(compactedTo, resourceVersion);
    }

    synchronized MockResponse watch(long from, boolean bookmarks) {
        Watcher watcher = new Watcher(bookmarks);
        if (from < compactedTo) {
            ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                    .put("status", "Failure").put("reason", "Expired").put("code", 410)
                    .put("message", "too old resource version: " + from + " (" + compactedTo + ")");
            watcher.send(JSON.createObjectNode().put("type", "ERROR").set("object", status).toString());
            watcher.closeAfterSending = true;
        } else {
            changes.tailMap(from, false).values().forEach(watcher::send);
            watchers.add(watcher);
        }
        return new MockResponse().withWebSocketUpgrade(watcher);
    }

    synchronized void bookmarks() {
        if (latest == 0) {
            return;
        }
        String bookmark = JSON.createObjectNode().put("type", "BOOKMARK").set("object", JSON.createObjectNode()
                .put("kind", "Event").put("apiVersion", "events.k8s.io/v1")
                .set("metadata", JSON.createObjectNode().put("resourceVersion", String.valueOf(latest)))).toString();
        watchers.stream().filter(w -> w.bookmarks).forEach(w -> w.send(bookmark));
    }

    /** One watch: messages queue until its socket opens. */
    private final class Watcher extends WebSocketListener {
        final boolean bookmarks;
        final List<String> queued = new ArrayList<>();
        WebSocket socket;
        boolean closeAfterSending;

        Watcher(boolean bookmarks) {
            this.bookmarks = bookmarks;
        }

        synchronized void send(String message) {
            if (socket == null) {
                queued.add(message);
            } else {
                socket.send(message);
            }
        }

        @Override
        public synchronized void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            queued.forEach(webSocket::send);
            queued.clear();
            if (closeAfterSending) {
                webSocket.close(1000, "too old resource version");
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            watchers.remove(this);
            webSocket.close(code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            watchers.remove(this);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            watchers.remove(this);
        }
    }

}
