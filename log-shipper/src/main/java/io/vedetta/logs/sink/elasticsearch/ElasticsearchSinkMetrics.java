package io.vedetta.logs.sink.elasticsearch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vedetta.secrets.LoggedRereads;
import io.vedetta.secrets.Rereads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/** What the Elasticsearch sink counts; every series exists from the start so rate() sees the first event. */
final class ElasticsearchSinkMetrics {

    /** Outcomes of a bulk request as a whole. */
    static final String OK = "ok";
    static final String ITEM_ERRORS = "item_errors";
    static final String REJECTED = "rejected";
    static final String SERVER_ERROR = "server_error";
    static final String CLIENT_ERROR = "client_error";
    static final String UNREACHABLE = "unreachable";

    private final MeterRegistry registry;
    final Counter recordsSent;
    final Counter bytesSent;
    final Counter deadLetteredIndex;
    final Counter deadLetteredFile;
    final Counter deadLettersDropped;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger limit = new AtomicInteger();
    final Timer latency;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> retried = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> secretsChanged = new ConcurrentHashMap<>();

    ElasticsearchSinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        recordsSent = Counter.builder("vedetta.log.es.records.sent")
                .description("Records Elasticsearch accepted (created, or already there from an earlier send)")
                .register(registry);
        bytesSent = Counter.builder("vedetta.log.es.sent").baseUnit("bytes")
                .description("Bulk request bodies sent, uncompressed, retries included")
                .register(registry);
        deadLetteredIndex = deadLettered("index");
        deadLetteredFile = deadLettered("file");
        deadLettersDropped = Counter.builder("vedetta.log.es.dead.letters.dropped")
                .description("Dead letters lost because the dead-letter file reached"
                        + " elasticsearch.deadLetter.fileMaxBytes (their records are acknowledged)")
                .register(registry);
        Gauge.builder("vedetta.log.es.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Bulk requests sent and not yet answered").register(registry);
        Gauge.builder("vedetta.log.es.concurrency.limit", limit, AtomicInteger::get)
                .description("Bulk requests allowed in flight now: halved on 429, raised again as requests succeed")
                .register(registry);
        latency = Timer.builder("vedetta.log.delivery.latency")
                .description("From the pipeline making a record of the lines it read to Elasticsearch acknowledging it")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5))
                .register(registry);
        for (String outcome : new String[] {OK, ITEM_ERRORS, REJECTED, SERVER_ERROR, CLIENT_ERROR, UNREACHABLE}) {
            request(outcome);
        }
        retried("429");
        retried("5xx");
        retried("malformed");
        for (String reason : new String[] {"request", "template", "ilm", "dead_letter_file", "serialization", "internal",
                "secret", "unauthorized"}) {
            error(reason);
        }
    }

    private Counter deadLettered(String target) {
        return Counter.builder("vedetta.log.es.dead.lettered").tag("target", target)
                .description("Records Elasticsearch refused for good (mapping conflict, bad document), stored as dead"
                        + " letters in the dead-letter index or, when that refuses them too, the local file")
                .register(registry);
    }

    Counter request(String outcome) {
        return requests.computeIfAbsent(outcome, o -> Counter.builder("vedetta.log.es.bulk.requests")
                .tag("outcome", o)
                .description("Bulk requests by outcome: ok, item_errors (some items failed), rejected (429),"
                        + " server_error (5xx), client_error (other 4xx), unreachable (connect, timeout, I/O)")
                .register(registry));
    }

    /** status: 429, 5xx or malformed (the class, so the label set stays small). */
    Counter retried(String status) {
        return retried.computeIfAbsent(status, s -> Counter.builder("vedetta.log.es.items.retried")
                .tag("status", s)
                .description("Bulk items sent again because Elasticsearch answered 429 or 5xx for them, or an item"
                        + " came back without a valid status (malformed)")
                .register(registry));
    }

    /**
     * What re-reading the credential and CA files found: a change logged and counted per setting, a failed re-read
     * counted as {@code secret} and logged once per file until it reads again.
     */
    Rereads secretRereads() {
        return new LoggedRereads(LoggerFactory.getLogger(ElasticsearchSink.class), "",
                "requests use the new content from now on", setting -> secretChanged(setting).increment(),
                setting -> error("secret").increment());
    }

    /** A credential or CA file read again with new content; by its setting, e.g. elasticsearch.passwordFile. */
    Counter secretChanged(String setting) {
        return secretsChanged.computeIfAbsent(setting, s -> Counter.builder("vedetta.log.es.secrets.changed")
                .tag("setting", s)
                .description("Credential and CA files read again because they changed on disk or Elasticsearch"
                        + " refused them, whose new content was taken")
                .register(registry));
    }

    /** reason: request, template, ilm, dead_letter_file, serialization, internal, secret, unauthorized. */
    Counter error(String reason) {
        return errors.computeIfAbsent(reason, r -> Counter.builder("vedetta.log.es.errors")
                .tag("reason", r)
                .description("Failures of the Elasticsearch sink by reason; each is logged once with its cause")
                .register(registry));
    }
}
