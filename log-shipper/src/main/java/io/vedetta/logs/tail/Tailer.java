package io.vedetta.logs.tail;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The read side of the log shipper: finds the files matching {@code logs.paths}, reads each from its saved
 * position, and hands every complete line to a {@link LineConsumer}. One reader thread serves all files in
 * turn; when the consumer is full it waits and retries (never drops), and the {@code vedetta_log_paused} gauge
 * says so. New files are noticed through directory watches (the glob directories and, for symlinked
 * container logs, the directories the links point into), with a periodic rescan as a safety net.
 *
 * <p>At most {@code logs.maxOpenFiles} files are open at once. The others wait in a queue, longest waiting first;
 * after each round, files that had their turn (idle ones first) give their place to waiting files that have
 * unread bytes (found by a stat, a bounded number per round), so none starves and none is read out of turn. A
 * file closed for its turn keeps its identity and positions and is opened again by identity (under a rotated name
 * too); a file rotated away while it waits is opened again at once, beyond the cap, and read to its end.
 *
 * <p>Positions are written to the positions file only as far as the lines' acknowledgements allow
 * (see {@link RawLine#ack()}), so after a crash or restart reading resumes at the first line not delivered.
 */
public final class Tailer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final long OFFER_TIMEOUT_MILLIS = 100;
    private static final int LINES_PER_TURN = 1024;
    /** Waiting files looked at (one stat each) per round, so a queue of thousands costs little per round. */
    private static final int EXAMINED_PER_ROUND = 1024;

    private enum Service { IDLE, PROGRESS, BLOCKED }

    private record Closed(TailedFile file, long closedAtMillis) {
    }

    /**
     * A file waiting for an open slot: closed until its next turn ({@code file} keeps its place), or found and never
     * opened yet ({@code file} null). {@code sinceNanos}: since when it waits with bytes to read, or may have.
     */
    private record Queued(Path path, TailedFile file, long sinceNanos) {
    }

    private final TailConfig config;
    private final LineConsumer consumer;
    private final TailMetrics metrics;
    private final Clock clock;
    private final GlobScanner scanner;
    private final PositionStore store;
    private final DirectoryWatcher watcher;
    private final FailureLog failures;
    private final LogFileOpener opener;
    private final ProgressWatch progress;
    /** Where files found by the first scan start when there are no usable saved positions; null when there are. */
    private final TailConfig.ReadFrom initialReadFrom;

    private final Map<FileKey, TailedFile> open = new LinkedHashMap<>();
    private final Map<FileKey, Closed> closed = new LinkedHashMap<>();
    /** In the positions file's order, which is the order the files were opened in: older files first. */
    private final Map<FileKey, FileState> saved = new LinkedHashMap<>();
    private final Map<Path, TailedFile> latestByPath = new HashMap<>();
    /** Files waiting for an open slot, longest waiting first. */
    private final LinkedHashMap<FileKey, Queued> queue = new LinkedHashMap<>();
    /** Open files that had their turn this round and may give their place: idle ones, then the others. */
    private final List<TailedFile> servedIdle = new ArrayList<>();
    private final List<TailedFile> servedBusy = new ArrayList<>();
    private boolean pausedThisRound;

    private volatile boolean running;
    private volatile boolean dirty;
    private volatile Duration drainTimeout = Duration.ZERO;
    private Thread thread;
    private boolean firstScanDone;
    private boolean rescanRequested = true;
    private long nextRescanMillis;
    private long nextCheckpointMillis;
    private int turn;

    /**
     * Reads the positions file (creating the state directory if needed) but does not start reading yet.
     *
     * @param consumer the next stage; it receives lines from the reader thread and must acknowledge each
     *                 one through {@link RawLine#ack()} once it is delivered
     * @param registry where the {@code vedetta.log.*} meters are registered
     */
    public Tailer(TailConfig config, LineConsumer consumer, MeterRegistry registry) throws IOException {
        this.config = config;
        this.consumer = consumer;
        this.metrics = new TailMetrics(registry);
        this.failures = new FailureLog(metrics);
        this.opener = new LogFileOpener(config.allowedRoots(), new Refusals(metrics));
        this.progress = new ProgressWatch(config.stuckTimeout(), metrics);
        this.clock = Clock.systemUTC();
        this.scanner = new GlobScanner(config.paths(), config.excludePaths());
        this.store = new PositionStore(config.stateDir());
        this.initialReadFrom = loadSavedPositions();
        this.watcher = new DirectoryWatcher(failures);
    }

    /** Starts the reader thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("tailer already started");
        }
        running = true;
        thread = new Thread(this::run, "vedetta-log-tailer");
        thread.setDaemon(true);
        thread.start();
        progress.start();
        LOG.info("tailing {} (excluding {}) within {}, positions in {}", config.paths(), config.excludePaths(),
                config.allowedRoots(), store.file());
    }

    /**
     * Why the tailer counts as stuck (blocked in one call, or leaving files with unread bytes unread for
     * {@code logs.stuckTimeout}); empty while it makes progress.
     */
    public Optional<String> stuckReason() {
        return progress.stuckReason();
    }

    /** Stops at once: positions are saved as far as they are acknowledged now. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops reading, then waits up to {@code drainTimeout} for the acknowledgements of the lines already handed
     * on (call it while the later stages still run), writes the positions one last time and closes every file.
     * What is still unacknowledged is read again after the next start.
     */
    public synchronized void close(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
        running = false;
        if (thread != null) {
            awaitStop(drainTimeout);
        } else {
            shutDown();
        }
        progress.close();
    }

    /**
     * Waits for the reader thread to save the positions and stop: the drain time, and a margin for the last
     * checkpoint, but not once the thread has been silent for a while, which means it is blocked in a call it may
     * never return from (a FIFO's open was one); the positions are then those of the last checkpoint, and the
     * shutdown goes on within its grace.
     */
    private void awaitStop(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos() + config.pollInterval().toNanos()
                + TimeUnit.SECONDS.toNanos(10);
        long blocked = Math.max(TimeUnit.SECONDS.toNanos(2), 4 * config.pollInterval().toNanos());
        try {
            while (thread.isAlive() && System.nanoTime() < deadline && !progress.silentFor(blocked)) {
                thread.join(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("log tailer thread did not stop in time ({}); leaving it: positions are as last saved",
                    progress.stuckReason().orElse("still working"));
            thread.interrupt();
        }
    }

    private TailConfig.ReadFrom loadSavedPositions() throws IOException {
        try {
            Optional<List<FileState>> states = store.load();
            states.ifPresent(list -> list.forEach(s -> saved.put(s.key(), s)));
            return states.isEmpty() ? config.readFrom() : null;
        } catch (PositionStore.UnreadableStateException e) {
            metrics.error("state_load");
            Path aside = store.setAside(clock.millis());
            // From the head nothing is lost and records keep their ids, so idempotent sinks do not duplicate
            // them; from the tail a large backlog is not shipped twice to sinks that are not idempotent.
            LOG.error("cannot read the positions file ({}); moved it to {} and reading every file from its {}"
                    + " (logs.onCorruptPositions)", e.getMessage(), aside,
                    config.onCorruptPositions() == TailConfig.ReadFrom.HEAD ? "start" : "end");
            return config.onCorruptPositions();
        }
    }

    private void run() {
        while (running) {
            try {
                iterate();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                failures.failed("internal", String.valueOf(e), e);
                pause(config.pollInterval().toMillis());
            }
        }
        awaitAcknowledgements();
        shutDown();
    }

    private void awaitAcknowledgements() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (pendingAcknowledgements() > 0 && System.nanoTime() < deadline) {
            progress.beat("waiting for acknowledgements", null);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            }
        }
        // Cleared so the last positions write is not refused as an interrupted channel operation.
        Thread.interrupted();
    }

    private int pendingAcknowledgements() {
        int pending = 0;
        for (TailedFile file : open.values()) {
            pending += file.pendingAcknowledgements();
        }
        for (Closed c : closed.values()) {
            pending += c.file().pendingAcknowledgements();
        }
        for (Queued q : queue.values()) {
            pending += q.file() == null ? 0 : q.file().pendingAcknowledgements();
        }
        return pending;
    }

    private void iterate() throws InterruptedException {
        long now = clock.millis();
        if (rescanRequested || now >= nextRescanMillis) {
            rescanRequested = false;
            nextRescanMillis = now + config.rescanInterval().toMillis();
            scan(now);
        }
        boolean busy = serviceFiles();
        busy |= rotate(clock.millis());
        expire(clock.millis());
        if (clock.millis() >= nextCheckpointMillis) {
            nextCheckpointMillis = clock.millis() + config.checkpointInterval().toMillis();
            checkpoint();
            Map<String, Long> lag = new LinkedHashMap<>();
            open.values().forEach(file -> lag.merge(file.path().toString(), file.lagBytes(), Long::sum));
            long waitingLag = 0;
            for (Queued q : queue.values()) {
                waitingLag += q.file() == null ? 0 : q.file().lagBytes();
            }
            metrics.lag(lag, waitingLag);
        }
        progress.beat("waiting for changes", null);
        if (!busy && watcher.await(config.pollInterval().toMillis())) {
            rescanRequested = true;
        }
    }

    private void scan(long now) {
        progress.beat("scanning", null);
        opener.refreshRoots();
        GlobScanner.Result result = scanner.scan();
        rescanRequested |= watcher.watch(result.directories());
        Map<FileKey, Path> found = new LinkedHashMap<>();
        for (Path path : result.files()) {
            progress.beat("examining", path);
            try {
                found.putIfAbsent(FileKey.of(path), path);
            } catch (IOException e) {
                // Gone between the listing and the stat: the next scan will not list it either.
                continue;
            }
        }
        if (!firstScanDone) {
            resumeRotatedFiles(found, now);
        }
        for (Map.Entry<FileKey, Path> e : found.entrySet()) {
            TailedFile file = open.get(e.getKey());
            Queued queued = queue.get(e.getKey());
            if (file != null) {
                file.seenAt(e.getValue());
            } else if (queued != null) {
                if (queued.file() != null) {
                    queued.file().seenAt(e.getValue());
                }
                queue.put(e.getKey(), new Queued(e.getValue(), queued.file(), queued.sinceNanos()));
            } else if (open.size() < config.maxOpenFiles()) {
                openNew(e.getKey(), e.getValue(), now);
            } else {
                queue.put(e.getKey(), new Queued(e.getValue(), null, System.nanoTime()));
            }
        }
        for (TailedFile file : open.values()) {
            if (!found.containsKey(file.key())) {
                file.goneAt(now);
            }
        }
        // Rotated away (or deleted) while waiting: opened at once, beyond the cap, before the kubelet deletes it.
        for (Map.Entry<FileKey, Queued> e : new ArrayList<>(queue.entrySet())) {
            if (!found.containsKey(e.getKey())) {
                openQueued(e.getKey(), e.getValue(), now);
            }
        }
        firstScanDone = true;
        metrics.filesWatched.set(open.size());
        metrics.filesWaiting.set(queue.size());
        // Where the files opened really are (the kubelet's links lead out of the glob directories): a rotation
        // there is noticed at once. Only opened files count, so a refused link never gets its target watched.
        Set<Path> realDirs = new LinkedHashSet<>();
        open.values().forEach(file -> realDirs.add(file.realPath().getParent()));
        queue.values().stream().filter(q -> q.file() != null)
                .forEach(q -> realDirs.add(q.file().realPath().getParent()));
        rescanRequested |= watcher.watch(realDirs);
    }

    /**
     * Opens the file listed as {@code path}. If it was rotated away between the listing and the open (or, after a
     * restart, while the agent was down) it is found by its inode next to the file that took its place, and read
     * from there to its end: a file is never skipped because its name moved on.
     */
    private void openNew(FileKey key, Path path, long now) {
        try {
            // Again if it moves between the lookup and the open.
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<RotatedFiles.Location> location = RotatedFiles.locate(path, key);
                if (location.isEmpty()) {
                    // Deleted between the scan and the open, or rotated out of reach: nothing to read.
                    return;
                }
                progress.beat("opening", location.get().file());
                Optional<TailedFile> opened = openNew(key, path, location.get().file());
                if (opened.isPresent()) {
                    if (location.get().renamed()) {
                        opened.get().goneAt(now);
                    }
                    return;
                }
            }
        } catch (NoSuchFileException e) {
            // The directory went with the pod.
            return;
        } catch (IOException e) {
            failures.failed("open", key + " " + path, e);
        }
    }

    /**
     * Opens {@code location} (the file listed as {@code path}, or where rotation moved it) as the file known by
     * {@code key}; empty if it is gone, refused (not a regular file, outside the allowed roots: counted by the
     * opener) or no longer that file.
     */
    private Optional<TailedFile> openNew(FileKey key, Path path, Path location) throws IOException {
        Optional<TailedFile> opened;
        try {
            Optional<LogFileOpener.Opened> handle = opener.open(location);
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            opened = TailedFile.open(key, path, handle.get(), config, metrics, opener, () -> dirty = true);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (opened.isEmpty()) {
            return opened;
        }
        TailedFile file = opened.get();
        try {
            file.startAt(startOffset(file, path));
        } catch (IOException | RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
        failures.succeeded("open", key + " " + path);
        TailedFile previous = latestByPath.put(path, file);
        if (previous != null && open.containsKey(previous.key())) {
            // A new file under the path of one still open: a rotation by rename (or delete and create).
            metrics.rotated.increment();
            LOG.debug("{} rotated: {} is read to its end, then {} from its start", path, previous.key(), key);
            file.follow(previous);
        }
        open.put(key, file);
        dirty = true;
        return opened;
    }

    /**
     * After a restart, a file rotated while the agent was down, or before all its lines were acknowledged, no
     * longer matches the globs. It is found next to the file that took its place (the kubelet renames
     * {@code 0.log} to {@code 0.log.<timestamp>}) by its inode, and read from its saved position to its end.
     * Several rotated files of one path are read oldest first (by last write, then by the order they were
     * opened in before), since each one follows the one opened before it.
     */
    private void resumeRotatedFiles(Map<FileKey, Path> found, long now) {
        List<Resumed> rotated = new ArrayList<>();
        for (FileState state : saved.values()) {
            if (found.containsKey(state.key())) {
                continue;
            }
            Path path = Path.of(state.path());
            try {
                Optional<RotatedFiles.Location> location = RotatedFiles.locate(path, state.key());
                if (location.isPresent() && location.get().renamed()) {
                    rotated.add(new Resumed(state.key(), path, location.get().file(),
                            Files.getLastModifiedTime(location.get().file())));
                }
            } catch (NoSuchFileException e) {
                // The link or its directory is gone too: the pod was deleted, there is nothing to find.
                continue;
            } catch (IOException e) {
                failures.failed("open", state.key() + " " + path, e);
            }
        }
        rotated.sort(Comparator.comparing(Resumed::modified));
        for (Resumed r : rotated) {
            LOG.info("{} was rotated to {} before all of it was delivered; reading its rest", r.path(), r.file());
            try {
                openNew(r.key(), r.path(), r.file()).ifPresent(f -> f.goneAt(now));
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                failures.failed("open", r.key() + " " + r.path(), e);
            }
        }
    }

    private record Resumed(FileKey key, Path path, Path file, FileTime modified) {
    }

    private long startOffset(TailedFile file, Path path) throws IOException {
        Closed before = closed.remove(file.key());
        FileState state = before != null ? before.file().snapshot(before.closedAtMillis()) : saved.remove(file.key());
        if (state != null) {
            if (file.contentMatches(state)) {
                return state.offset();
            }
            metrics.truncated.increment();
            LOG.info("{} ({}) no longer holds the content saved at offset {} (truncated, or its inode was reused);"
                    + " reading it from the start", path, file.key(), state.offset());
            return 0;
        }
        if (!firstScanDone && initialReadFrom == TailConfig.ReadFrom.TAIL) {
            return file.endOfLastLine();
        }
        return 0;
    }

    /** Serves every file in turn, starting one further each time so no file starves; true if not idle. */
    private boolean serviceFiles() throws InterruptedException {
        List<TailedFile> files = new ArrayList<>(open.values());
        boolean rotating = !queue.isEmpty();
        servedIdle.clear();
        servedBusy.clear();
        pausedThisRound = false;
        boolean progressed = false;
        for (int i = 0; i < files.size(); i++) {
            TailedFile file = files.get(Math.floorMod(turn + i, files.size()));
            if (file.waitsForPredecessor()) {
                continue;
            }
            Service result = service(file);
            if (rotating) {
                (result == Service.IDLE ? servedIdle : servedBusy).add(file);
            }
            if (result == Service.BLOCKED) {
                pausedThisRound = true;
                turn++;
                return true;
            }
            progressed |= result == Service.PROGRESS;
        }
        turn++;
        return progressed;
    }

    /**
     * Gives waiting files their turn: looks at the longest waiting ones (a stat each), and opens those that may have
     * bytes to read in place of open files that had their turn this round, idle ones first. Idle waiting files go to
     * the back of the queue. True if waiting files with bytes to read are left for the next round.
     */
    private boolean rotate(long now) {
        if (queue.isEmpty()) {
            progress.starving(-1, "");
            return false;
        }
        int swaps = Math.max(16, config.maxOpenFiles() / 4);
        List<Map.Entry<FileKey, Queued>> due = new ArrayList<>();
        List<Map.Entry<FileKey, Queued>> idle = new ArrayList<>();
        int examined = 0;
        for (Map.Entry<FileKey, Queued> e : queue.entrySet()) {
            if (examined++ == EXAMINED_PER_ROUND || due.size() == swaps) {
                break;
            }
            (needsTurn(e.getKey(), e.getValue()) ? due : idle).add(e);
        }
        long nowNanos = System.nanoTime();
        for (Map.Entry<FileKey, Queued> e : idle) {
            queue.remove(e.getKey());
            queue.put(e.getKey(), new Queued(e.getValue().path(), e.getValue().file(), nowNanos));
        }
        int served = 0;
        for (Map.Entry<FileKey, Queued> e : due) {
            if (open.size() >= config.maxOpenFiles() && !suspendOne(now)) {
                break;
            }
            openQueued(e.getKey(), e.getValue(), now);
            served++;
        }
        reportStarving(due.subList(served, due.size()));
        metrics.filesWatched.set(open.size());
        metrics.filesWaiting.set(queue.size());
        return served < due.size() || due.size() == swaps;
    }

    /** Waiting files with bytes to read that found no slot this round; starving when they wait too long. */
    private void reportStarving(List<Map.Entry<FileKey, Queued>> left) {
        if (left.isEmpty() || pausedThisRound) {
            // A full next stage holds everyone back alike: that is a pause, not starvation.
            progress.starving(-1, "");
            return;
        }
        Queued oldest = left.get(0).getValue();
        progress.starving(oldest.sinceNanos(), left.size() + " waiting for one of logs.maxOpenFiles ("
                + config.maxOpenFiles() + "), such as " + oldest.path());
    }

    /** True if a waiting file may have bytes to read: never opened, grown, shrunk, or no longer under its name. */
    private boolean needsTurn(FileKey key, Queued queued) {
        if (queued.file() == null) {
            return true;
        }
        progress.beat("examining", queued.path());
        queued.file().trim();
        try {
            Map<String, Object> attributes = Files.readAttributes(queued.path(), "unix:dev,ino,size");
            long size = ((Number) attributes.get("size")).longValue();
            queued.file().sizeSeen(size);
            return !new FileKey(((Number) attributes.get("dev")).longValue(),
                    ((Number) attributes.get("ino")).longValue()).equals(key)
                    || size != queued.file().resumeOffset();
        } catch (IOException e) {
            // Gone from its name: found elsewhere (rotated) or not at all when its turn comes.
            return true;
        }
    }

    /** Closes one open file that had its turn this round until its next one; false if none can give its place. */
    private boolean suspendOne(long now) {
        for (List<TailedFile> served : List.of(servedIdle, servedBusy)) {
            while (!served.isEmpty()) {
                TailedFile file = served.remove(served.size() - 1);
                // Not one that another file under its name follows: that one waits for it to reach its end.
                if (open.get(file.key()) == file && latestByPath.get(file.path()) == file && file.canSuspend()) {
                    open.remove(file.key());
                    try {
                        file.suspend();
                    } catch (IOException e) {
                        LOG.debug("closing {} until its next turn failed", file.path(), e);
                    }
                    queue.put(file.key(), new Queued(file.path(), file, System.nanoTime()));
                    return true;
                }
            }
        }
        return false;
    }

    /** Opens a waiting file: a new one from its start (or saved position), a suspended one where it stopped. */
    private void openQueued(FileKey key, Queued queued, long now) {
        queue.remove(key);
        TailedFile file = queued.file();
        if (file == null) {
            openNew(key, queued.path(), now);
            return;
        }
        progress.beat("opening", queued.path());
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<RotatedFiles.Location> location = RotatedFiles.locate(queued.path(), key);
                Optional<LogFileOpener.Opened> opened = location.isEmpty() ? Optional.empty()
                        : opener.open(location.get().file());
                if (opened.isEmpty()) {
                    lostWhileWaiting(file, now, null);
                    return;
                }
                if (!opened.get().key().equals(key)) {
                    // Replaced between the lookup and the open: look again.
                    opened.get().close();
                    continue;
                }
                file.resume(opened.get().channel());
                if (location.get().renamed()) {
                    file.goneAt(now);
                }
                open.put(key, file);
                return;
            }
            queue.put(key, queued);
        } catch (NoSuchFileException e) {
            lostWhileWaiting(file, now, null);
        } catch (IOException e) {
            lostWhileWaiting(file, now, e);
        }
    }

    /**
     * A file deleted (or become unreadable) while it waited for its turn: what it had not been read of is lost. Kept
     * among the closed files, so the acknowledgements of its lines in flight still move its saved position.
     */
    private void lostWhileWaiting(TailedFile file, long now, IOException cause) {
        failures.failed("open", file.key() + " " + file.path(), cause != null ? cause
                : new NoSuchFileException(file.path().toString(), null, "deleted while waiting for its turn, "
                        + file.lagBytes() + " bytes unread; raise logs.maxOpenFiles"));
        latestByPath.remove(file.path(), file);
        closed.put(file.key(), new Closed(file, now));
        dirty = true;
    }

    private Service service(TailedFile file) throws InterruptedException {
        progress.beat("reading", file.path());
        for (int n = 0; n < LINES_PER_TURN; n++) {
            RawLine line;
            try {
                line = file.nextLine();
            } catch (IOException e) {
                failures.failed("read", file.key() + " " + file.path(), e);
                closeFile(file);
                return Service.IDLE;
            }
            if (line == null) {
                if (file.isFinal()) {
                    closeFile(file);
                }
                return n > 0 ? Service.PROGRESS : Service.IDLE;
            }
            if (!consumer.offer(line, OFFER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                file.unread(line);
                metrics.paused.set(1);
                return Service.BLOCKED;
            }
            metrics.paused.set(0);
        }
        return Service.PROGRESS;
    }

    private void expire(long now) {
        long rotateWait = config.rotateWait().toMillis();
        for (TailedFile file : open.values()) {
            if (file.goneSinceMillis() >= 0 && now - file.goneSinceMillis() >= rotateWait) {
                file.markFinal();
            }
        }
        long retention = config.stateRetention().toMillis();
        if (closed.values().removeIf(c -> now - c.closedAtMillis() >= retention)
                | saved.values().removeIf(s -> now - s.lastSeenEpochMillis() >= retention && !queue.containsKey(s.key()))) {
            dirty = true;
        }
    }

    private void closeFile(TailedFile file) {
        open.remove(file.key());
        latestByPath.remove(file.path(), file);
        closeQuietly(file);
        closed.put(file.key(), new Closed(file, clock.millis()));
        metrics.filesWatched.set(open.size());
        dirty = true;
    }

    private void checkpoint() {
        if (!dirty) {
            return;
        }
        dirty = false;
        long now = clock.millis();
        progress.beat("writing positions to", store.file());
        List<FileState> states = new ArrayList<>();
        // Closed files first: they were opened before any file still open under the same path.
        closed.values().forEach(c -> states.add(c.file().snapshot(c.closedAtMillis())));
        queue.values().stream().filter(q -> q.file() != null).forEach(q -> states.add(q.file().snapshot(now)));
        open.values().forEach(f -> states.add(f.snapshot(now)));
        states.addAll(saved.values());
        try {
            store.save(states);
            failures.succeeded("state_write", store.file().toString());
        } catch (IOException e) {
            dirty = true;
            failures.failed("state_write", store.file().toString(), e);
        }
    }

    private void shutDown() {
        checkpoint();
        for (TailedFile file : open.values()) {
            closeQuietly(file);
        }
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the directory watcher failed", e);
        }
    }

    private static void closeQuietly(TailedFile file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", file.path(), e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
