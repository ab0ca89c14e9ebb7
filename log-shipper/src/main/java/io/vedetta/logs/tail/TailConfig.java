package io.vedetta.logs.tail;

import static io.vedetta.logs.settings.InvalidSettingException.requirePositive;

import io.vedetta.logs.settings.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the tailer, validated once. The agent builds it from the {@code logs.*} section; tests and the
 * standalone shipper use {@link #builder()}.
 *
 * @param paths              globs of the files to tail ({@code logs.paths}); symlinks are followed
 * @param excludePaths       globs matched against the same paths to leave out ({@code logs.excludePaths})
 * @param stateDir           directory of the positions file ({@code logs.stateDir})
 * @param readFrom           where files already present at the very first start (no positions file) begin
 * @param onCorruptPositions where files begin when the positions file exists but cannot be read ({@code logs.onCorruptPositions})
 * @param rotateWait         how long a file that vanished from the globs is still read to its end
 * @param rescanInterval     safety-net rescan of the globs, on top of directory watches
 * @param pollInterval       how often idle files are checked for new bytes
 * @param maxLineBytes       longest line read whole: a longer one is cut there and the rest dropped, counted (the
 *                           agent makes it 4 × {@code logs.maxLineBytes}; the parse stage splits or truncates to
 *                           that); it also bounds the read buffer
 * @param checkpointInterval how often acknowledged positions are written to the positions file
 * @param stateRetention     how long the position of a file that is gone is remembered
 */
public record TailConfig(
        List<String> paths,
        List<String> excludePaths,
        Path stateDir,
        ReadFrom readFrom,
        ReadFrom onCorruptPositions,
        Duration rotateWait,
        Duration rescanInterval,
        Duration pollInterval,
        int maxLineBytes,
        Duration checkpointInterval,
        Duration stateRetention) {

    /** Where files present at the very first start are read from; later files always start at their head. */
    public enum ReadFrom { HEAD, TAIL }

    public static final List<String> DEFAULT_PATHS = List.of("/var/log/containers/*.log");

    public TailConfig {
        paths = List.copyOf(paths);
        excludePaths = List.copyOf(excludePaths);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(readFrom, "readFrom");
        Objects.requireNonNull(onCorruptPositions, "onCorruptPositions");
        if (paths.isEmpty()) {
            throw new InvalidSettingException("paths", "must name at least one glob");
        }
        requirePositive("rotateWait", rotateWait);
        requirePositive("rescanInterval", rescanInterval);
        requirePositive("pollInterval", pollInterval);
        requirePositive("checkpointInterval", checkpointInterval);
        requirePositive("stateRetention", stateRetention);
        if (maxLineBytes < 1024) {
            throw new InvalidSettingException("maxLineBytes", "must be at least 1KiB, got " + maxLineBytes);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults as documented in the configuration reference. */
    public static final class Builder {
        private List<String> paths = DEFAULT_PATHS;
        private List<String> excludePaths = List.of();
        private Path stateDir = Path.of("/var/lib/vedetta");
        private ReadFrom readFrom = ReadFrom.HEAD;
        private ReadFrom onCorruptPositions = ReadFrom.HEAD;
        private Duration rotateWait = Duration.ofSeconds(5);
        private Duration rescanInterval = Duration.ofSeconds(5);
        private Duration pollInterval = Duration.ofMillis(250);
        private int maxLineBytes = 256 * 1024;
        private Duration checkpointInterval = Duration.ofSeconds(1);
        private Duration stateRetention = Duration.ofMinutes(10);

        private Builder() {
        }

        public Builder paths(List<String> v) {
            paths = v;
            return this;
        }

        public Builder excludePaths(List<String> v) {
            excludePaths = v;
            return this;
        }

        public Builder stateDir(Path v) {
            stateDir = v;
            return this;
        }

        /** Where files start when the positions file cannot be read: head re-reads (ids dedupe), tail skips. */
        public Builder onCorruptPositions(ReadFrom v) {
            onCorruptPositions = v;
            return this;
        }

        public Builder readFrom(ReadFrom v) {
            readFrom = v;
            return this;
        }

        public Builder rotateWait(Duration v) {
            rotateWait = v;
            return this;
        }

        public Builder rescanInterval(Duration v) {
            rescanInterval = v;
            return this;
        }

        public Builder pollInterval(Duration v) {
            pollInterval = v;
            return this;
        }

        public Builder maxLineBytes(int v) {
            maxLineBytes = v;
            return this;
        }

        public Builder checkpointInterval(Duration v) {
            checkpointInterval = v;
            return this;
        }

        public Builder stateRetention(Duration v) {
            stateRetention = v;
            return this;
        }

        public TailConfig build() {
            return new TailConfig(paths, excludePaths, stateDir, readFrom, onCorruptPositions, rotateWait, rescanInterval,
                    pollInterval, maxLineBytes, checkpointInterval, stateRetention);
        }
    }
}
