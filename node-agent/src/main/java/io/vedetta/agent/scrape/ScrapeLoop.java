package io.vedetta.agent.scrape;

import io.vedetta.agent.metrics.exposition.BytesKeyedCache;
import io.vedetta.agent.metrics.exposition.LabelText;
import io.vedetta.agent.metrics.exposition.ProtobufLexer;
import io.vedetta.agent.metrics.exposition.TextLexer;
import io.vedetta.agent.relabel.LabelBuilder;
import io.vedetta.agent.relabel.Relabeling;
import io.vedetta.agent.remotewrite.SampleBatch;
import io.vedetta.agent.remotewrite.Series;
import io.vedetta.agent.remotewrite.SeriesLabels;
import io.vedetta.agent.remotewrite.Wal;
import io.vedetta.bytes.Words;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scrapes one target, as Prometheus' scrape loop does, into the write-ahead log. A series seen in the last scrape
 * is recognised by the bytes of its name and labels as the target wrote them ({@link BytesKeyedCache}), which cost a
 * hash and a comparison; a new one has its labels decoded, the target's labels added ({@code exported_} prefixed on a
 * clash unless {@code honorLabels}), {@code metricRelabelConfigs} applied, its limits checked, and its series taken
 * from the log. Sample timestamps are the scrape's start unless the target wrote one and {@code honorTimestamps}.
 *
 * <p>A scrape is appended whole or not at all. It fails on a timeout, an HTTP status other than 200, a body cut short
 * or over {@code bodySizeLimit}, more samples than {@code sampleLimit} or a series with more labels than
 * {@code labelLimit} (after metric relabelling), or a line that cannot be read; then only {@code up} 0 and the other
 * report series are written, and like an empty scrape it ends every series of the last scrape with a staleness marker.
 * A series gone from a good scrape gets its marker too, and so does every series of a target when it goes away
 * ({@link #stop}). Not thread-safe: the manager runs one scrape of a loop at a time.
 */
final class ScrapeLoop {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String[] REPORT = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added"};

    /** The per-thread tools of a scrape; a thread runs one scrape at a time. */
    static final class Scratch {
        final TextLexer text = new TextLexer();
        final ProtobufLexer protobuf = new ProtobufLexer();
        final LabelText labels = new LabelText();
        final SampleBatch batch = new SampleBatch();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A series of the target as written, and what it became; {@code series} is null when relabelling dropped it. */
    private static final class Entry {
        final Series series;
        final long created;
        long seen;

        Entry(Series series, long created) {
            this.series = series;
            this.created = created;
        }
    }

    /** What a scrape's settings are; shared by the pod targets, the agent's own differs. */
    record Settings(int sampleLimit, int labelLimit, long bodySizeLimit, boolean honorLabels,
            boolean honorTimestamps, Relabeling metricRelabeling) {
    }

    private final ScrapeTarget target;
    private final Exposition exposition;
    private final Settings settings;
    private final Wal wal;
    private final ScrapeMetrics metrics;
    private final Clock clock;
    private final BytesKeyedCache<Entry> cache = new BytesKeyedCache<>();
    private final Series[] report = new Series[REPORT.length];
    private long scrapes;
    private long lastTimestamp;
    private String failing;
    private boolean stopped;

    ScrapeLoop(ScrapeTarget target, Exposition exposition, Settings settings, Wal wal, ScrapeMetrics metrics,
            Clock clock) {
        this.target = target;
        this.exposition = exposition;
        this.settings = settings;
        this.wal = wal;
        this.metrics = metrics;
        this.clock = clock;
        for (int i = 0; i < REPORT.length; i++) {
            LabelBuilder b = new LabelBuilder(target.labels());
            b.set("__name__", REPORT[i]);
            report[i] = wal.hold(SeriesLabels.encode(b.toMap()));
        }
    }

    ScrapeTarget target() {
        return target;
    }

    /** One scrape, appended to the log; nothing once {@link #stop}ped. */
    synchronized void scrape() {
        if (stopped) {
            return;
        }
        Scratch scratch = SCRATCH.get();
        SampleBatch batch = scratch.batch;
        batch.clear();
        long start = Math.max(clock.millis(), lastTimestamp + 1);
        long startNanos = System.nanoTime();
        scrapes++;
        Appender appender = new Appender(scratch, batch, start);
        ScrapeFailure failure = null;
        cache.beginParse();
        scratch.labels.forget();
        long timeoutMillis = target.timeout().toMillis();
        try (Exposition.Body body = exposition.open(timeoutMillis)) {
            InputStream in = new LimitedBody(body.in(), settings.bodySizeLimit(),
                    startNanos + timeoutMillis * 1_000_000);
            switch (body.format()) {
                case PROTOBUF -> scratch.protobuf.read(in, appender);
                case OPENMETRICS -> scratch.text.read(in, appender, TextLexer.Format.OPENMETRICS);
                default -> scratch.text.read(in, appender, TextLexer.Format.PROMETHEUS_TEXT);
            }
            if (body.samples() != null) {
                body.samples().replay(appender);
            }
            failure = appender.failure();
        } catch (IOException e) {
            failure = HttpExposition.classify(e, false);
        } catch (RuntimeException e) {
            failure = new ScrapeFailure("parse", e.toString());
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (failure == null) {
            cache.endParse(e -> end(e, batch, start));
        } else {
            batch.clear();
            long current = scrapes;
            cache.clear(e -> {
                if (e.created < current) {
                    end(e, batch, start);
                } else if (e.series != null) {
                    wal.release(e.series);
                }
            });
        }
        boolean up = failure == null;
        double[] values = {up ? 1 : 0, seconds, appender.scraped, up ? appender.kept : 0, up ? appender.added : 0};
        for (int i = 0; i < REPORT.length; i++) {
            batch.add(report[i], start, values[i]);
        }
        wal.append(batch);
        batch.clear();
        lastTimestamp = start;
        record(failure, appender);
    }

    /** A series of the last good scrape ends: a staleness marker, and the log may forget it. */
    private void end(Entry e, SampleBatch batch, long timestamp) {
        if (e.series != null) {
            batch.add(e.series, timestamp, SampleBatch.STALE_NAN);
            wal.release(e.series);
        }
    }

    private void record(ScrapeFailure failure, Appender appender) {
        metrics.scraped(appender.kept, appender.duplicates);
        if (failure == null) {
            if (failing != null) {
                failing = null;
                metrics.recovered(target);
            }
            return;
        }
        metrics.failed(target, failure.reason(), failure.getMessage(), failure.reason().equals(failing));
        failing = failure.reason();
    }

    /**
     * The target went away: every series of its last scrape, and its report series, end with a staleness marker now.
     * Waits for a scrape in progress.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        SampleBatch batch = new SampleBatch();
        long now = Math.max(clock.millis(), lastTimestamp + 1);
        cache.clear(e -> end(e, batch, now));
        for (Series s : report) {
            batch.add(s, now, SampleBatch.STALE_NAN);
        }
        wal.append(batch);
        for (Series s : report) {
            wal.release(s);
        }
        if (failing != null) {
            metrics.recovered(target);
        }
    }

    /** Turns the lexer's samples into the batch. */
    private final class Appender implements TextLexer.Listener {
        private final Scratch scratch;
        private final SampleBatch batch;
        private final long timestamp;
        int scraped;
        int kept;
        int added;
        int duplicates;
        private String problem;
        private String labelLimit;

        Appender(Scratch scratch, SampleBatch batch, long timestamp) {
            this.scratch = scratch;
            this.batch = batch;
            this.timestamp = timestamp;
        }

        ScrapeFailure failure() {
            if (problem != null) {
                return new ScrapeFailure("parse", problem);
            }
            if (labelLimit != null) {
                return new ScrapeFailure("label_limit", labelLimit);
            }
            if (settings.sampleLimit() > 0 && kept > settings.sampleLimit()) {
                return new ScrapeFailure("sample_limit", kept + " samples after metric relabelling, more than"
                        + " scrape.sampleLimit (" + settings.sampleLimit() + ")");
            }
            return null;
        }

        @Override
        public void help(String family, String text) {
        }

        @Override
        public void type(String family, String type) {
        }

        @Override
        public void sample(byte[] line, int nameFrom, int nameTo, int labelsFrom, int labelsTo, double value,
                long timestampMillis) {
            scraped++;
            int to = labelsTo > labelsFrom ? labelsTo : nameTo;
            int hash = Words.hash(line, nameFrom, to);
            Entry e = cache.get(line, nameFrom, to, hash);
            if (e == null) {
                e = create(line, nameFrom, nameTo, labelsFrom, labelsTo);
                cache.put(line, nameFrom, to, hash, e);
                if (e.series != null) {
                    added++;
                }
            } else if (e.seen == scrapes) {
                duplicates++;
                return;
            }
            e.seen = scrapes;
            if (e.series == null) {
                return;
            }
            kept++;
            if (settings.sampleLimit() > 0 && kept > settings.sampleLimit()) {
                return;
            }
            long ts = settings.honorTimestamps() && timestampMillis != TextLexer.NO_TIMESTAMP ? timestampMillis
                    : timestamp;
            batch.add(e.series, ts, value);
        }

        @Override
        public void skipped(String problem) {
            if (this.problem == null) {
                this.problem = problem;
            }
        }

        /** A series seen for the first time: its labels as Prometheus would store them, and its series. */
        private Entry create(byte[] line, int nameFrom, int nameTo, int labelsFrom, int labelsTo) {
            LabelBuilder b = new LabelBuilder();
            if (labelsTo > labelsFrom) {
                scratch.labels.read(line, labelsFrom, labelsTo, (name, value) -> {
                    if (b.has(name)) {
                        throw new IllegalArgumentException("label " + name + " is repeated");
                    }
                    b.set(name, value);
                });
            }
            b.set("__name__", new String(line, nameFrom, nameTo - nameFrom, StandardCharsets.UTF_8));
            merge(b);
            if (!settings.metricRelabeling().apply(b)) {
                return new Entry(null, scrapes);
            }
            String name = b.get("__name__");
            if (!METRIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid metric name \"" + name + "\" after relabelling");
            }
            b.forEach((label, value) -> {
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new IllegalArgumentException("invalid label name \"" + label + "\" on " + name);
                }
            });
            if (settings.labelLimit() > 0 && b.size() > settings.labelLimit()) {
                if (labelLimit == null) {
                    labelLimit = name + " has " + b.size() + " labels, more than scrape.labelLimit ("
                            + settings.labelLimit() + ")";
                }
                return new Entry(null, scrapes);
            }
            return new Entry(wal.hold(SeriesLabels.encode(b.toMap())), scrapes);
        }

        /** Adds the target's labels as Prometheus does. */
        private void merge(LabelBuilder b) {
            for (Map.Entry<String, String> l : target.labels().entrySet()) {
                String name = l.getKey();
                if (settings.honorLabels()) {
                    if (!b.has(name)) {
                        b.set(name, l.getValue());
                    }
                    continue;
                }
                if (b.has(name)) {
                    String exported = "exported_" + name;
                    while (b.has(exported) || target.labels().containsKey(exported)) {
                        exported = "exported_" + exported;
                    }
                    b.set(exported, b.get(name));
                }
                b.set(name, l.getValue());
            }
        }
    }
}
