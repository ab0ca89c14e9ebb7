package io.vedetta.agent;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Whether this JVM shares classes from a class-data sharing archive, and why not when it does not. The image runs the
 * agent with its own archive ({@code -XX:SharedArchiveFile=/opt/vedetta/vedetta-agent.jsa}, which halves the CPU of
 * its start); a JDK 17 that finds that archive missing, or dumped by another JDK or for a jar of another path,
 * size or time, runs with no sharing at all, the JDK's own archive included, and says nothing. The agent still runs
 * then, with more memory, so this is a warning, logged once at start.
 */
final class ClassSharing {

    private ClassSharing() {
    }

    /** Logs a warning when this JVM shares no classes. */
    static void warnWhenOff(Logger log) {
        whyOff(System.getProperty("java.vm.info", ""), archiveOption(),
                ManagementFactory.getRuntimeMXBean().getInputArguments()).ifPresent(log::warn);
    }

    /**
     * Why sharing is off, given the JVM's {@code java.vm.info} (which says "sharing" when it is on) and the archive
     * named by {@code -XX:SharedArchiveFile}, if any, and its options ({@code JDK_JAVA_OPTIONS} included); empty when
     * sharing is on.
     */
    static Optional<String> whyOff(String vmInfo, Optional<String> archive, List<String> jvmArguments) {
        if (vmInfo.contains("sharing")) {
            return Optional.empty();
        }
        String cost = " (the JVM parses every class the agent loads: about twice the CPU of a start)";
        if (jvmArguments.contains("-Xshare:off")) {
            return Optional.of("class-data sharing is off: -Xshare:off is among the JVM's options" + cost);
        }
        if (archive.isEmpty()) {
            return Optional.of("class-data sharing is off: the JVM maps no archive, not even the JDK's own" + cost
                    + "; the image runs the agent with -XX:SharedArchiveFile=/opt/vedetta/vedetta-agent.jsa");
        }
        String file = archive.get();
        if (!Files.isRegularFile(Path.of(file))) {
            return Optional.of("class-data sharing is off: the archive " + file + " (-XX:SharedArchiveFile) is missing"
                    + cost + "; an image built without the Dockerfile's -Xshare:dump step has none");
        }
        return Optional.of("class-data sharing is off: the JVM rejected the archive " + file
                + " (-XX:SharedArchiveFile), which was dumped by another JDK or for a jar at another path, size or time"
                + cost + "; dump it again as the Dockerfile does, with the JDK and the jar at the path the agent runs with");
    }

    private static Optional<String> archiveOption() {
        String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("SharedArchiveFile").getValue();
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
