package io.vedetta.secrets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * What re-reading secret files found, said the same way by every owner: a change at INFO (the rotation was picked
 * up), a failed re-read at WARN once per setting until it reads again; the owner counts both. The content is never
 * logged, only the setting and the file's path.
 */
public final class LoggedRereads implements Rereads {

    private final Logger log;
    private final String owner;
    private final String effect;
    private final Consumer<String> changed;
    private final Consumer<String> failed;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /**
     * @param log    the owner's logger
     * @param owner  what the files belong to, for the message ("" or e.g. " of remote_write endpoint x")
     * @param effect what a change does from now on, e.g. "requests use the new content from now on"
     * @param changed counts a setting whose file was read again with new content
     * @param failed  counts a setting whose file changed but could not be read again
     */
    public LoggedRereads(Logger log, String owner, String effect, Consumer<String> changed, Consumer<String> failed) {
        this.log = log;
        this.owner = owner;
        this.effect = effect;
        this.changed = changed;
        this.failed = failed;
    }

    @Override
    public void changed(String setting, Path file, String trigger) {
        changed.accept(setting);
        failing.remove(setting);
        log.info("read {} ({}){} again: {}; {}", setting, file, owner, trigger, effect);
    }

    @Override
    public void failed(String setting, Path file, IOException cause) {
        failed.accept(setting);
        if (failing.add(setting)) {
            log.warn("cannot read {} ({}){} again: {}; the last content read is still used", setting, file, owner,
                    cause.getMessage());
        }
    }
}
