package io.vedetta.logs.testing;

import io.vedetta.logs.record.Document;
import io.vedetta.logs.record.RoutingKey;
import java.nio.charset.StandardCharsets;

/** Documents for tests of the sinks and the buffer, which take records of any JSON. */
public final class Records {

    private Records() {
    }

    /** A document that is {@code json} (one JSON object), without routing. */
    public static Document json(String json) {
        return Document.ofJson(json.getBytes(StandardCharsets.UTF_8), RoutingKey.NONE);
    }
}
