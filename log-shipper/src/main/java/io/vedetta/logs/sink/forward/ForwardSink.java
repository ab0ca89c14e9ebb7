package io.vedetta.logs.sink.forward;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vedetta.logs.record.Sink;
import io.vedetta.logs.record.SinkRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.fluentd.logger.FluentLogger;
import org.fluentd.logger.FluentLoggerFactory;
import org.fluentd.logger.errorhandler.ErrorHandler;
import org.fluentd.logger.sender.Reconnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to a fluentd (or Fluent Bit) {@code forward} input through fluent-logger-java, one message
 * {@code [tag, time, record]} per record, the time in whole seconds from the record's {@code @timestamp}
 * (the record keeps the full timestamp).
 *
 * <p>Acknowledgement: fluent-logger-java 0.3.4 never reads from its socket, so the forward protocol's
 * {@code require_ack_response} (chunk ids answered by the receiver) is out of its reach. This sink therefore
 * acknowledges a record once fluent-logger-java has written it to the TCP connection and its buffer is empty
 * again: a receiver that is down, refuses connections or resets them costs nothing (the batch fails and is sent
 * again), but bytes that reached the kernel just before the receiver died are lost with it. A failed flush
 * throws away the logger and its buffer, so that the batch's retry does not send its first records twice.
 *
 * <p>All network work happens on one thread of the sink's own; {@link #send} only queues the batch.
 */
public final class ForwardSink implements Sink {

    static final String SENT = "vedetta.log.sink.forward.sent";
    static final String ERRORS = "vedetta.log.sink.forward.errors";
    static final String DROPPED = "vedetta.log.sink.forward.dropped";
    private static final Logger LOG = LoggerFactory.getLogger(ForwardSink.class);
    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() { };

    private final ForwardConfig config;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService sender;
    private final Counter sent;
    private final Counter errors;
    private final Counter dropped;
    private FluentLogger logger;
    private IOException flushError;
    private boolean failing;

    public ForwardSink(ForwardConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clock = clock;
        String target = config.host() + ":" + config.port();
        this.sent = Counter.builder(SENT).tag("target", target)
                .description("Records written to the forward connection and flushed").register(registry);
        this.errors = Counter.builder(ERRORS).tag("target", target)
                .description("Flushes to the forward receiver that failed; their records are sent again")
                .register(registry);
        this.dropped = Counter.builder(DROPPED).tag("target", target)
                .description("Records left out (acknowledged): not a JSON object, or larger than logs.forward.bufferBytes")
                .register(registry);
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "log-forward-sink");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Void> send(List<SinkRecord> batch) {
        return CompletableFuture.runAsync(() -> deliver(batch), sender);
    }

    private void deliver(List<SinkRecord> batch) {
        FluentLogger out = logger();
        List<SinkRecord> buffered = new ArrayList<>(batch.size());
        for (SinkRecord record : batch) {
            Map<String, Object> fields;
            try {
                fields = fieldsOf(record);
            } catch (IOException | RuntimeException e) {
                drop(record, "its document is not a JSON object: " + e);
                continue;
            }
            String tag = config.tag().tagOf(fields);
            long time = secondsOf(fields.get("@timestamp"));
            if (!out.log(tag, fields, time)) {
                // The logger's buffer is full: what it holds goes out now, then the record gets a fresh buffer.
                flush(out, buffered);
                if (!out.log(tag, fields, time)) {
                    drop(record, "it is larger than logs.forward.bufferBytes (" + config.bufferBytes() + ")");
                    continue;
                }
            }
            buffered.add(record);
        }
        flush(out, buffered);
    }

    private void flush(FluentLogger out, List<SinkRecord> buffered) {
        if (buffered.isEmpty()) {
            return;
        }
        flushError = null;
        out.flush();
        if (flushError != null) {
            errors.increment();
            if (!failing) {
                LOG.error("cannot send to the forward receiver {}:{}; records stay unacknowledged and are sent again: {}",
                        config.host(), config.port(), flushError.toString());
            }
            failing = true;
            out.getSender().close();
            logger = null;
            throw new CompletionException(flushError);
        }
        if (failing) {
            LOG.info("the forward receiver {}:{} accepts records again", config.host(), config.port());
        }
        failing = false;
        sent.increment(buffered.size());
        buffered.forEach(r -> r.ack().acknowledge());
        buffered.clear();
    }

    /**
     * The current logger, or a new one with an empty buffer. Its reconnector never allows a send on its own:
     * records only fill the buffer, and this sink decides when it goes out ({@link FluentLogger#flush()}).
     */
    private FluentLogger logger() {
        if (logger == null) {
            logger = new FluentLoggerFactory().getLogger("", config.host(), config.port(),
                    (int) config.timeout().toMillis(), config.bufferBytes(), new FlushOnly());
            logger.setErrorHandler(new ErrorHandler() {
                @Override
                public void handleNetworkError(IOException e) {
                    flushError = e;
                }
            });
        }
        return logger;
    }

    private Map<String, Object> fieldsOf(SinkRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = json.getFactory().createGenerator(bytes)) {
            record.document().writeTo(generator);
        }
        return json.readValue(bytes.toByteArray(), RECORD);
    }

    private long secondsOf(Object timestamp) {
        if (timestamp instanceof String s) {
            try {
                return Instant.parse(s).getEpochSecond();
            } catch (DateTimeParseException e) {
                // A record without a usable time gets the time it is sent, as fluentd's own inputs do.
            }
        }
        return clock.instant().getEpochSecond();
    }

    private void drop(SinkRecord record, String why) {
        dropped.increment();
        LOG.error("forward sink drops record {}: {}", record.id(), why);
        record.ack().acknowledge();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (logger != null) {
            logger.getSender().close();
        }
    }

    /** Never lets fluent-logger-java connect by itself; see {@link #logger()}. */
    private static final class FlushOnly implements Reconnector {
        @Override
        public void clearErrorHistory() {
        }

        @Override
        public void addErrorHistory(long timestamp) {
        }

        @Override
        public boolean isErrorHistoryEmpty() {
            return true;
        }

        @Override
        public boolean enableReconnection(long timestamp) {
            return false;
        }
    }
}
