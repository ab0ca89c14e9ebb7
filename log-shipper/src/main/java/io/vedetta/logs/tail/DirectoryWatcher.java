package io.vedetta.logs.tail;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Directory watches (inotify on Linux) that tell the tailer when to rescan: files created, renamed or deleted
 * in the glob directories and in the directories symlinked logs point into. Writes to files are not watched;
 * the tailer polls open files, which is cheaper than an event per write.
 */
final class DirectoryWatcher implements Closeable {

    private final WatchService service;
    private final FailureLog failures;
    private final Map<Path, WatchKey> keys = new HashMap<>();

    DirectoryWatcher(FailureLog failures) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.failures = failures;
    }

    /**
     * Watches the directories not watched yet. True if one was added: a file created there between the listing
     * and the watch has been missed, so the caller should list again.
     */
    boolean watch(Collection<Path> dirs) {
        boolean added = false;
        for (Path dir : dirs) {
            if (keys.containsKey(dir)) {
                continue;
            }
            try {
                keys.put(dir, dir.register(service,
                        StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE));
                failures.succeeded("watch", dir.toString());
                added = true;
            } catch (IOException e) {
                // Without the watch the periodic rescan still finds new files, only later.
                failures.failed("watch", dir.toString(), e);
            }
        }
        return added;
    }

    /** Waits up to {@code timeoutMillis} for a change in any watched directory; true if there was one. */
    boolean await(long timeoutMillis) throws InterruptedException {
        boolean changed = false;
        WatchKey key = service.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        while (key != null) {
            key.pollEvents();
            if (!key.reset()) {
                // The directory is gone (a deleted pod); a new one by that name gets a new watch.
                keys.values().remove(key);
            }
            changed = true;
            key = service.poll();
        }
        return changed;
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
