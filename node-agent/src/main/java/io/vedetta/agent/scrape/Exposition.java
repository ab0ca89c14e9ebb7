package io.vedetta.agent.scrape;

import io.vedetta.agent.metrics.exposition.TextLexer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** Where a target's series come from: a pod's HTTP endpoint, or the agent's own registry. */
interface Exposition {

    /** The formats a body can be in. */
    enum Format { PROMETHEUS_TEXT, OPENMETRICS, PROTOBUF }

    /**
     * A response body to read, in its format, then the {@code samples} it hands over without text when not null;
     * closing it ends the request.
     */
    record Body(InputStream in, Format format, Closeable onClose, Samples samples) implements Closeable {

        Body(InputStream in, Format format, Closeable onClose) {
            this(in, format, onClose, null);
        }

        @Override
        public void close() throws IOException {
            onClose.close();
        }
    }

    /** Samples handed to the scrape as {@link TextLexer} hands over those it reads. */
    interface Samples {
        void replay(TextLexer.Listener listener);
    }

    /** Starts a scrape that must be over in {@code timeoutMillis}; failures are {@link ScrapeFailure}s. */
    Body open(long timeoutMillis) throws IOException;
}
