package io.vedetta.testkit;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The kubelet's container log layout under one root: {@code pods/<ns>_<pod>_<uid>/<container>/0.log},
 * linked from {@code containers/<pod>_<ns>_<container>-<id>.log}, written in the CRI format.
 */
public final class ContainerLogs {

    private final Path root;

    public ContainerLogs(Path root) {
        this.root = root;
        try {
            Files.createDirectories(containers());
            Files.createDirectories(root.resolve("pods"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root of the layout: the directory the agent's {@code logs.allowedRoots} must allow, as the links lead into it. */
    public Path root() {
        return root;
    }

    /** The directory the agent's {@code logs.paths} glob points into. */
    public Path containers() {
        return root.resolve("containers");
    }

    /** Creates (or finds) the log file of {@code container} of {@code pod}, named as the kubelet names it. */
    public Path fileOf(Pod pod, String container) {
        ContainerStatus status = pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getName().equals(container)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no container " + container));
        String id = status.getContainerID().replaceFirst("^[a-z-]+://", "");
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Path file = root.resolve("pods").resolve(ns + "_" + name + "_" + pod.getMetadata().getUid())
                .resolve(container).resolve("0.log");
        Path link = containers().resolve(name + "_" + ns + "_" + container + "-" + id + ".log");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.createFile(file);
                Files.createSymbolicLink(link, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Appends CRI lines ({@code <time> <stream> F <message>}) stamped now. */
    public static void appendCri(Path file, String stream, String... messages) {
        StringBuilder out = new StringBuilder();
        for (String message : messages) {
            out.append(Instant.now()).append(' ').append(stream).append(" F ").append(message).append('\n');
        }
        try {
            Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
