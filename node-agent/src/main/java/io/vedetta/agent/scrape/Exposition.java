package io.vedetta.agent.scrape;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** Where a target's series come from: a pod's HTTP endpoint, or the agent's own registry. */
interface Exposition {

    /** The formats a body can be in. */
    enum Format { PROMETHEUS_TEXT, OPENMETRICS, PROTOBUF }

    /** A response body to read, in its format; closing it ends the request. */
    record Body(InputStream in, Format format, Closeable onClose) implements Closeable {
        @Override
        public void close() throws IOException {
            onClose.close();
        }
    }

    /** Starts a scrape that must be over in {@code timeoutMillis}; failures are {@link ScrapeFailure}s. */
    Body open(long timeoutMillis) throws IOException;
}
