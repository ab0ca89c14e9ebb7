package io.vedetta.bench;

import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The agent over a run, sampled every second: its RSS, and every fifth second the lines written so far against the
 * log shipper's own gauges (sent, lag, buffered, requests in flight), written to a TSV file so that where a backlog
 * built up and drained can be seen beside the report.
 */
final class Timeline implements AutoCloseable {

    private static final String[] GAUGES = {"vedetta_log_es_records_sent_total", "vedetta_log_lag_bytes",
        "vedetta_log_buffer_records", "vedetta_log_es_requests_in_flight"};

    private final AgentProcess agent;
    private final LongSupplier written;
    private final Path file;
    private final long start = System.nanoTime();
    private final List<Long> rss = new ArrayList<>();
    private final StringBuilder tsv = new StringBuilder("seconds\tlines_written\trecords_sent\tlag_bytes\tbuffer_records\trequests_in_flight\trss_mib\n");
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "timeline");
        thread.setDaemon(true);
        return thread;
    });
    private int tick;

    Timeline(AgentProcess agent, LongSupplier written, Path file) {
        this.agent = agent;
        this.written = written;
        this.file = file;
        ticks.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        long bytes = ProcessUsage.rssBytes(agent.process().pid());
        rss.add(bytes);
        if (tick++ % 5 != 0) {
            return;
        }
        StringBuilder query = new StringBuilder(agent.url()).append("/metrics?");
        for (String gauge : GAUGES) {
            query.append("name%5B%5D=").append(gauge).append('&');
        }
        String text = Http.get(query.toString()).body();
        tsv.append(String.format(Locale.ROOT, "%.0f\t%d", (System.nanoTime() - start) / 1e9, written.getAsLong()));
        for (String gauge : GAUGES) {
            tsv.append(String.format(Locale.ROOT, "\t%.0f", Exposition.value(text, gauge)));
        }
        tsv.append('\t').append(bytes >> 20).append('\n');
    }

    /** The highest RSS sampled. */
    synchronized long maxRss() {
        return rss.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    synchronized long medianRss() {
        long[] sorted = rss.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    /** Stops sampling and writes the file. */
    @Override
    public void close() throws IOException {
        ticks.shutdownNow();
        synchronized (this) {
            Files.writeString(file, tsv);
        }
    }
}
