package io.vedetta.logs.sink.elasticsearch;

import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.record.DeadLetterFile;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import io.vedetta.logs.route.IndexRouter;
import io.vedetta.secrets.Rereads;
import io.vedetta.time.Backoff;
import io.vedetta.logs.sink.elasticsearch.BulkResponseParser.ItemResult;
import io.vedetta.logs.sink.elasticsearch.DeadLetters.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers records through {@code _bulk} with at-least-once semantics and no duplicates: every record is a
 * {@code create} with its stable id as {@code _id}, so a 409 means an earlier send got it there. Each item's
 * result decides: delivered (acknowledged), 429/5xx (sent again after a jittered backoff), other 4xx (a dead
 * letter, then acknowledged). A request that fails as a whole is sent again whole. Requests in flight follow
 * an {@link AdaptiveLimit}: 429s halve it, successes raise it, so an overloaded cluster gets fewer requests
 * rather than the same number after a pause.
 *
 * <p>Threads: {@link #send} encodes on the caller's thread; one dispatch thread owns the queue, the limit and
 * the retries; the client's I/O threads only hand responses over to it. Nothing is sent before the index
 * template is installed (retried until Elasticsearch answers), so a data stream is never created without it.
 */
public final class ElasticsearchSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSink.class);
    private final ElasticsearchSinkConfig config;
    private final RestClient client;
    private final Credentials credentials;
    private final Clock clock;
    private final BulkEncoder encoder;
    private final DeadLetters deadLetters;
    private final DeadLetterFile deadLetterFile;
    private final IndexBootstrap bootstrap;
    private final ElasticsearchSinkMetrics metrics;
    private final Backoff backoff;
    private final AdaptiveLimit limit;
    private final ScheduledExecutorService dispatcher;
    private final ArrayDeque<BulkRequest> ready = new ArrayDeque<>();
    private final Set<Delivery> open = ConcurrentHashMap.newKeySet();
    private final Set<String> loggedRefusals = new HashSet<>();
    /** Requests sent again at once after a 401 and a re-read of the credentials; a second 401 counts. */
    private final Set<BulkRequest> resentAfterUnauthorized = Collections.newSetFromMap(new IdentityHashMap<>());
    private int inFlight;
    private int bootstrapAttempt;
    private boolean bootstrapped;
    private String failing;
    private boolean malformedStreak;
    private boolean deadLetterFileFull;
    private volatile boolean closed;

    public ElasticsearchSink(ElasticsearchSinkConfig config, MeterRegistry registry, Clock clock) throws IOException {
        this.config = config;
        this.metrics = new ElasticsearchSinkMetrics(registry);
        Rereads changes = metrics.secretRereads();
        this.credentials = Credentials.from(config, changes);
        config.passwordFile().ifPresent(f -> metrics.secretChanged("elasticsearch.passwordFile"));
        config.apiKeyFile().ifPresent(f -> metrics.secretChanged("elasticsearch.apiKeyFile"));
        config.caFile().ifPresent(f -> metrics.secretChanged("elasticsearch.tls.caFile"));
        this.client = RestClients.build(config, credentials, changes);
        this.clock = clock;
        this.encoder = new BulkEncoder(new IndexRouter(config.routes(), registry));
        this.deadLetters = new DeadLetters(config.deadLetterPrefix());
        this.deadLetterFile = new DeadLetterFile(config.deadLetterFile(), config.deadLetterFileMaxBytes());
        this.bootstrap = new IndexBootstrap(config, client, credentials, metrics);
        this.backoff = Backoff.jittered(config.retryInitial(), config.retryMax());
        this.limit = new AdaptiveLimit(config.maxInFlight());
        this.metrics.limit.set(limit.permits());
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elasticsearch-sink");
            t.setDaemon(true);
            return t;
        });
        bootstrapped = !config.installTemplate();
        dispatcher.execute(this::bootstrap);
    }

    @Override
    public CompletableFuture<Void> send(List<SinkRecord> batch) {
        Delivery delivery = new Delivery(batch.size());
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Elasticsearch sink is closed"));
        }
        open.add(delivery);
        delivery.future.whenComplete((ok, error) -> open.remove(delivery));
        List<SinkRecord> broken = new ArrayList<>();
        List<Exception> causes = new ArrayList<>();
        List<BulkItem> items = encoder.encode(batch, delivery, nowNanos(), (record, e) -> {
            broken.add(record);
            causes.add(e);
        });
        if (!items.isEmpty()) {
            // Only after every record is done: a retry or a dead letter reads its document from this buffer.
            byte[] body = items.get(0).buffer();
            delivery.future.thenRun(() -> encoder.giveBack(body));
        }
        if (!broken.isEmpty()) {
            storeBroken(broken, causes, delivery);
        }
        List<BulkRequest> requests = BulkRequest.split(items, config.bulkMaxBytes(), config.bulkMaxRecords(), 0);
        post(() -> {
            ready.addAll(requests);
            pump();
        });
        return delivery.future;
    }

    /** Every item is retried until delivered or dead-lettered; {@link #close()} is what fails the batches left. */
    @Override
    public boolean retriesUntilClosed() {
        return true;
    }

    /** Records whose document cannot be written at all go straight to the dead-letter file. */
    private void storeBroken(List<SinkRecord> broken, List<Exception> causes, Delivery delivery) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < broken.size(); i++) {
            metrics.error("serialization").increment();
            LOG.error("record {} cannot be written as JSON; it goes to the dead-letter file {}: {}",
                    broken.get(i).id(), deadLetterFile.path(), causes.get(i).toString());
            lines.add(DeadLetters.brokenRecord(broken.get(i), causes.get(i), nowNanos()));
        }
        post(() -> appendToFile(lines, () -> broken.forEach(r -> {
            r.ack().acknowledge();
            delivery.recordDone();
        })));
    }

    private void bootstrap() {
        if (closed || bootstrapped) {
            return;
        }
        try {
            bootstrap.install();
            bootstrapped = true;
            recovered();
        } catch (IndexBootstrap.Refused e) {
            metrics.error("template").increment();
            LOG.error("{}; logs are sent anyway, into targets without Vedetta's mappings", e.getMessage());
            bootstrapped = true;
        } catch (IOException | RuntimeException e) {
            // Logged before it is counted, so whoever sees the count finds the cause in the log.
            failed("template", "cannot install the index template yet (" + e + "); nothing is sent until it is");
            metrics.error("template").increment();
            dispatcher.schedule(this::bootstrap, backoff.delayMillis(bootstrapAttempt++), TimeUnit.MILLISECONDS);
            return;
        }
        pump();
    }

    private void pump() {
        while (bootstrapped && !closed && inFlight < limit.permits() && !ready.isEmpty()) {
            start(ready.poll());
        }
    }

    private void start(BulkRequest request) {
        inFlight++;
        metrics.inFlight.set(inFlight);
        metrics.bytesSent.increment(request.length());
        Request http = new Request("POST", "/_bulk");
        // Only what the per-item handling reads: a full response repeats index, id, version, shards and
        // sequence numbers for every item, several times the bytes the agent then has to parse.
        http.addParameter("filter_path", BulkResponseParser.FILTER_PATH);
        http.setEntity(new BulkBody(request.body(), request.offset(), request.length()));
        long epoch = limit.epoch();
        // The listener runs on the client's I/O reactor, whose thread an exception would kill: it only
        // parses and hands over.
        client.performRequestAsync(http, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                List<ItemResult> results;
                try (InputStream body = response.getEntity().getContent()) {
                    results = BulkResponseParser.parse(body, request.items.size());
                } catch (IOException | RuntimeException e) {
                    post(() -> requestFailed(request, e, epoch));
                    return;
                }
                post(() -> answered(request, results, epoch));
            }

            @Override
            public void onFailure(Exception e) {
                post(() -> requestFailed(request, e, epoch));
            }
        });
    }

    /**
     * Runs {@code task} on the dispatch thread; after {@link #close()} there is nothing left to do. A bug in a
     * task is logged and counted rather than swallowed by the executor.
     */
    private void post(Runnable task) {
        try {
            dispatcher.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    metrics.error("internal").increment();
                    LOG.error("Elasticsearch sink failed unexpectedly; records of the failed step stay unacknowledged"
                            + " until a restart", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Elasticsearch sink closed; an answer arriving late is dropped, its records stay unacknowledged");
        }
    }

    private void answered(BulkRequest request, List<ItemResult> results, long epoch) {
        finished();
        resentAfterUnauthorized.remove(request);
        if (results.size() != request.items.size()) {
            requestFailed(request, new IOException("bulk response has " + results.size() + " items for "
                    + request.items.size() + " sent"), epoch);
            return;
        }
        recovered();
        List<BulkItem> retry = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        List<String> lastResort = new ArrayList<>();
        List<BulkItem> lastResortItems = new ArrayList<>();
        boolean overloaded = false;
        ItemResult malformed = null;
        for (int i = 0; i < results.size(); i++) {
            ItemResult result = results.get(i);
            BulkItem item = request.items.get(i);
            switch (ItemFate.of(result.status())) {
                case DELIVERED -> delivered(item);
                case RETRY -> {
                    overloaded |= result.status() == 429;
                    metrics.retried(retryClass(result.status())).increment();
                    if (ItemFate.malformed(result.status())) {
                        malformed = result;
                    }
                    retry.add(item);
                }
                case DEAD_LETTER -> {
                    logRefusal(item, result);
                    if (item.deadLetter()) {
                        lastResort.add(item.document());
                        lastResortItems.add(item);
                    } else {
                        refused.add(new Refusal(item, result.status(), result.errorType(), result.reason()));
                    }
                }
            }
        }
        malformedAnswers(malformed);
        if (overloaded) {
            limit.overloaded(epoch);
        } else {
            limit.succeeded();
        }
        metrics.limit.set(limit.permits());
        metrics.request(retry.isEmpty() && refused.isEmpty() && lastResort.isEmpty()
                ? ElasticsearchSinkMetrics.OK : ElasticsearchSinkMetrics.ITEM_ERRORS).increment();
        if (!refused.isEmpty()) {
            ready.addAll(BulkRequest.split(deadLetters.encode(refused, nowNanos()), config.bulkMaxBytes(),
                    config.bulkMaxRecords(), 0));
        }
        if (!lastResort.isEmpty()) {
            appendToFile(lastResort, () -> lastResortItems.forEach(this::acknowledge));
        }
        if (!retry.isEmpty()) {
            retryLater(BulkRequest.split(retry, config.bulkMaxBytes(), config.bulkMaxRecords(), request.attempt + 1));
        }
        pump();
    }

    /**
     * Logs the first response of a streak whose items lack a valid status (its own streak: such responses come
     * between good ones, and the request streak's "answers again" would log each of them).
     */
    private void malformedAnswers(ItemResult example) {
        if (example != null && !malformedStreak) {
            LOG.warn("Elasticsearch at {}: bulk items come back without a valid status ({}; a proxy in the way, or a"
                    + " cut response); they are sent again with backoff, not dead-lettered", config.urls(),
                    example.status() == ItemFate.NO_STATUS ? "none" : example.status());
        }
        malformedStreak = example != null;
    }

    /** The {@code status} label of a retried item: 429, 5xx, or malformed (no status, 1xx, 3xx). */
    private static String retryClass(int status) {
        return status == 429 ? "429" : ItemFate.malformed(status) ? "malformed" : "5xx";
    }

    private void requestFailed(BulkRequest request, Exception e, long epoch) {
        finished();
        int status = e instanceof ResponseException re ? re.getResponse().getStatusLine().getStatusCode() : 0;
        if (status == 401 && credentials.present() && resentAfterUnauthorized.add(request)) {
            // The Secret may have been rotated since the files were last looked at: read them, send once more.
            credentials.reload();
            ready.addFirst(request);
            pump();
            return;
        }
        resentAfterUnauthorized.remove(request);
        String outcome = status == 429 ? ElasticsearchSinkMetrics.REJECTED
                : status >= 500 ? ElasticsearchSinkMetrics.SERVER_ERROR
                : status > 0 ? ElasticsearchSinkMetrics.CLIENT_ERROR
                : ElasticsearchSinkMetrics.UNREACHABLE;
        metrics.request(outcome).increment();
        metrics.error("request").increment();
        if (status == 429) {
            limit.overloaded(epoch);
            metrics.limit.set(limit.permits());
        }
        if (status == 401) {
            metrics.error("unauthorized").increment();
            failed("unauthorized", "Elasticsearch refuses " + (credentials.present() ? credentials.describe()
                    + " (401), also after reading the file again" : "requests without credentials (401)")
                    + "; records stay unacknowledged and are sent again with backoff");
        } else {
            failed(outcome, "bulk requests fail (" + describe(e, status) + "); records stay unacknowledged and are"
                    + " sent again with backoff");
        }
        if (status == 413 && request.items.size() > 1) {
            // Too large for http.max_content_length: halves go at once, each may be halved again.
            int half = request.items.size() / 2;
            ready.addFirst(new BulkRequest(request.items.subList(half, request.items.size()), request.attempt));
            ready.addFirst(new BulkRequest(request.items.subList(0, half), request.attempt));
        } else {
            retryLater(List.of(new BulkRequest(request.items, request.attempt + 1)));
        }
        pump();
    }

    /** What a failure says about itself, without the response body (it can quote documents). */
    private static String describe(Exception e, int status) {
        if (status > 0) {
            return "HTTP " + status;
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void retryLater(List<BulkRequest> requests) {
        for (BulkRequest r : requests) {
            dispatcher.schedule(() -> {
                ready.addFirst(r);
                pump();
            }, backoff.delayMillis(r.attempt - 1), TimeUnit.MILLISECONDS);
        }
    }

    private void finished() {
        inFlight--;
        metrics.inFlight.set(inFlight);
    }

    private void delivered(BulkItem item) {
        if (item.deadLetter()) {
            metrics.deadLetteredIndex.increment();
        } else {
            metrics.recordsSent.increment();
        }
        acknowledge(item);
    }

    private void acknowledge(BulkItem item) {
        item.ack().acknowledge();
        metrics.latency.record(System.nanoTime() - item.readNanos(), TimeUnit.NANOSECONDS);
        item.delivery().recordDone();
    }

    /**
     * Appends dead letters to the file, then runs {@code then} (which acknowledges their records). Those the file's
     * bound refuses are lost: counted, and logged once per streak, since holding their records back would stop
     * every file of the node behind records Elasticsearch has refused twice already.
     */
    private void appendToFile(List<String> lines, Runnable then) {
        int written;
        try {
            written = deadLetterFile.append(lines);
        } catch (IOException e) {
            metrics.error("dead_letter_file").increment();
            failed("dead_letter_file", "cannot append dead letters to " + deadLetterFile.path() + " (" + e
                    + "); trying again");
            dispatcher.schedule(() -> appendToFile(lines, then), config.retryMax().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        metrics.deadLetteredFile.increment(written);
        int dropped = lines.size() - written;
        if (dropped > 0) {
            metrics.deadLettersDropped.increment(dropped);
            if (!deadLetterFileFull) {
                LOG.error("the dead-letter file {} is full (elasticsearch.deadLetter.fileMaxBytes: {} bytes): {} dead"
                        + " letters are dropped, and further ones until it has room (only counted, in"
                        + " vedetta_log_es_dead_letters_dropped_total); move or empty the file to keep them",
                        deadLetterFile.path(), deadLetterFile.maxBytes(), dropped);
            }
        }
        deadLetterFileFull = dropped > 0;
        then.run();
    }

    /** One log line per refusal kind and target; the counters carry the rest. */
    private void logRefusal(BulkItem item, ItemResult result) {
        String key = item.index() + " " + result.errorType();
        if (loggedRefusals.size() < 1000 && loggedRefusals.add(key)) {
            LOG.warn("Elasticsearch refused record {} for {} with {} {}: {}; {}", item.id(), item.index(),
                    result.status(), result.errorType(), result.reason(), item.deadLetter()
                            ? "the dead letter goes to " + deadLetterFile.path()
                            : "it goes to the dead-letter index (further refusals of this kind are only counted)");
        }
    }

    /** Logs the first failure of a streak once, with its cause. */
    private void failed(String kind, String message) {
        if (!kind.equals(failing)) {
            failing = kind;
            LOG.warn("Elasticsearch at {}: {}", config.urls(), message);
        }
    }

    private void recovered() {
        if (failing != null) {
            LOG.info("Elasticsearch at {} answers again", config.urls());
            failing = null;
        }
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Abandons what is not delivered yet (it stays unacknowledged and is read again after a restart). */
    @Override
    public void close() {
        closed = true;
        dispatcher.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the Elasticsearch client failed: {}", e.toString());
        }
        IllegalStateException abandoned = new IllegalStateException("the Elasticsearch sink closed before delivery");
        open.forEach(d -> d.future.completeExceptionally(abandoned));
    }
}
