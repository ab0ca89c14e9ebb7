package io.vedetta.agent.cluster.events;

import io.vedetta.agent.config.ClusterConfig;
import io.vedetta.logs.route.IndexRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where the events go in Elasticsearch: their own data streams (or daily indices), with their own mappings. */
public final class EventsIndex {

    private EventsIndex() {
    }

    /** The stream of the log routes that {@link EventDocument}s name. */
    public static IndexRoutes.Stream stream(ClusterConfig.Events events) {
        try (InputStream in = EventsIndex.class.getResourceAsStream("events-template.json")) {
            return new IndexRoutes.Stream(events.dataStreamPrefix(), events.dailyPrefix(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled events-template.json", e);
        }
    }
}
