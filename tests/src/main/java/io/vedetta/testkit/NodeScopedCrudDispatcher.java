package io.vedetta.testkit;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock API server's CRUD mode answers a list or watch carrying {@code fieldSelector=spec.nodeName=X}
 * with nothing, because it does not implement field selectors. The simulated node's API only ever holds
 * pods of that node, so this dispatcher drops that one selector and answers the rest as CRUD mode does.
 * Requests are recorded so tests can still assert that the agent asked for its node only.
 */
public final class NodeScopedCrudDispatcher extends KubernetesCrudDispatcher {

    private final String nodeName;
    private final List<String> nodeScopedPaths = new java.util.concurrent.CopyOnWriteArrayList<>();

    public NodeScopedCrudDispatcher(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        if (query < 0) {
            return super.dispatch(request);
        }
        List<String> kept = new ArrayList<>();
        boolean scoped = false;
        for (String param : path.substring(query + 1).split("&")) {
            String decoded = URLDecoder.decode(param, StandardCharsets.UTF_8);
            if (decoded.equals("fieldSelector=spec.nodeName=" + nodeName)) {
                scoped = true;
            } else {
                kept.add(param);
            }
        }
        if (!scoped) {
            return super.dispatch(request);
        }
        nodeScopedPaths.add(path);
        String rewritten = path.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), rewritten,
                request.getHeaders(), request.getBody()));
    }

    /** Every request path that carried this node's field selector, as sent. */
    public List<String> nodeScopedPaths() {
        return List.copyOf(nodeScopedPaths);
    }
}
