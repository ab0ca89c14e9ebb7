package io.vedetta.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The agent's class-data sharing archive, dumped as the image's {@code Dockerfile} dumps it: from the class list kept
 * in the repository ({@link #CLASS_LIST}), for the jar at the path it runs from. JDK 17 checks a static archive
 * against the jar's path, size and time and the JDK it was dumped by, and turns all sharing off when any differs, so
 * an archive is dumped next to each jar the agent is run from (and, by the pod runner, with the jar at its image
 * path), and the agent is launched with {@code -Xshare:on}: a mismatch fails the start instead of being measured.
 */
public final class AgentArchive {

    /** The class list in the repository, which the Dockerfile and {@code scripts/class-list} name too. */
    public static final String CLASS_LIST = "node-agent/src/main/cds/vedetta-agent.classlist";

    /** The system property choosing what the testkit's agents share ({@code archive}, the default, or {@code jdk}). */
    public static final String PROPERTY = "vedetta.agent.classSharing";

    /** What an agent launched by the testkit shares. */
    public enum Sharing {
        /** The agent's own archive, as the image runs it. */
        ARCHIVE,
        /** The JDK's default archive only: the agent as an image without its archive runs, the baseline to compare. */
        JDK
    }

    private AgentArchive() {
    }

    /** The sharing chosen by {@link #PROPERTY}: the agent's archive unless {@code -Dvedetta.agent.classSharing=jdk}. */
    public static Sharing configured() {
        String value = System.getProperty(PROPERTY, "archive");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "archive" -> Sharing.ARCHIVE;
            case "jdk" -> Sharing.JDK;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + " is neither archive (the agent's class-data sharing archive, as the image) nor jdk (the JDK's only)");
        };
    }

    /** The JVM options that make an agent run from {@code jar} share as {@code sharing} says, or fail to start. */
    public static List<String> options(Path jar, Sharing sharing) {
        List<String> options = new ArrayList<>();
        if (sharing == Sharing.ARCHIVE) {
            options.add("-XX:SharedArchiveFile=" + forJar(jar));
        }
        options.add("-Xshare:on");
        return options;
    }

    /** One line for a benchmark's report: what the agent shared. */
    public static String describe(Sharing sharing) {
        return sharing == Sharing.ARCHIVE
                ? "class-data sharing on with the agent's archive (dumped next to the jar from `" + CLASS_LIST
                        + "`, as the image dumps it; `-Xshare:on`, and the archive seen mapped in the agent's memory)"
                : "class-data sharing with the JDK's own archive only (`-D" + PROPERTY + "=jdk`, `-Xshare:on`):"
                        + " the agent as an image without its archive runs";
    }

    /**
     * The archive for the agent run as {@code java -jar <jar>}: {@code vedetta-agent.jsa} beside the jar, dumped
     * unless one newer than both the jar and the class list is there.
     */
    public static synchronized Path forJar(Path jar) {
        Path absoluteJar = jar.toAbsolutePath().normalize();
        Path archive = absoluteJar.resolveSibling(absoluteJar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
        Path classList = AlertingSetup.repo().resolve(CLASS_LIST);
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(absoluteJar)) > 0
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(classList)) > 0) {
                return archive;
            }
            Path partial = Files.createTempFile(archive.getParent(), archive.getFileName().toString(), ".partial");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + partial,
                    "-cp", absoluteJar.toString());
            dump(command, archive.resolveSibling(archive.getFileName() + ".log"));
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump the agent's class-data sharing archive " + archive, e);
        }
    }

    /** Runs {@code java -Xshare:dump ...}, its output to {@code log}, failing with the log's end when it fails. */
    public static void dump(List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        try {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", command) + "` took over 300 s; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dumping the class-data sharing archive", e);
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("`" + String.join(" ", command) + "` exited " + process.exitValue() + ": "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
    }

    /**
     * Fails unless the process {@code pid} has {@code archive} mapped: the proof that it shares the archive's classes
     * (a JVM that rejects its archive unmaps it and runs with no sharing at all).
     */
    public static void requireMapped(long pid, Path archive) {
        String maps;
        try {
            maps = Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory map of process " + pid, e);
        }
        if (!maps.contains(archive.getFileName().toString())) {
            throw new IllegalStateException("process " + pid + " has no mapping of its class-data sharing archive "
                    + archive + ": the JVM rejected it and runs without sharing");
        }
    }
}
