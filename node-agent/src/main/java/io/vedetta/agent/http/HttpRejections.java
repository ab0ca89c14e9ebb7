package io.vedetta.agent.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.agent.metrics.FailureCounter;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP server refused or cut off, counted in {@code vedetta_http_rejected_total{reason}} and logged with
 * the client's address: at WARN the first time for each reason, at DEBUG after that, so a client that keeps trying
 * does not flood the log.
 */
final class HttpRejections {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRejections.class);
    static final String METER = "vedetta.http.rejected";

    private final FailureCounter counter;

    HttpRejections(MeterRegistry registry) {
        this.counter = new FailureCounter(registry, METER, "Connections and requests the HTTP server refused or cut"
                + " off, by reason: connection_limit, client_connection_limit, header_timeout, header_too_large,"
                + " malformed, body, write_timeout, handler_error, internal", "reason", LOG);
        for (Rejection reason : Rejection.values()) {
            counter.register(reason.label());
        }
    }

    void record(Rejection reason, InetAddress client, String cause) {
        counter.record(reason.label(), "from " + client.getHostAddress(), cause);
    }

    /** A bug in the server's own loop, which goes on serving. */
    void internal(Exception e) {
        counter.record(Rejection.INTERNAL.label(), "in the selector loop", e.toString());
    }
}
