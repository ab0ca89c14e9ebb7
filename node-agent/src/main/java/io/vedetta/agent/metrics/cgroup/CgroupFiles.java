package io.vedetta.agent.metrics.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parsing and listing shared by the v1 and v2 readers. */
final class CgroupFiles {

    /** kubepods, QoS class, pod, container: deeper cgroups (a runtime's own children) are not containers. */
    private static final int KUBEPODS_DEPTH = 3;

    private CgroupFiles() {
    }

    /** Ids of the directories below {@code kubepods} (searched as {@code kubepods} and {@code kubepods.slice}). */
    static List<String> kubepods(Path hierarchy) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String top : List.of("kubepods", "kubepods.slice")) {
            Path dir = hierarchy.resolve(top);
            if (Files.isDirectory(dir)) {
                walk(dir, "/" + top, KUBEPODS_DEPTH, ids);
            }
        }
        ids.sort(null);
        return ids;
    }

    private static void walk(Path dir, String id, int depth, List<String> ids) throws IOException {
        if (depth == 0) {
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(children::add);
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path child : children) {
            String childId = id + "/" + child.getFileName();
            ids.add(childId);
            walk(child, childId, depth - 1, ids);
        }
    }

    /** The directory of cgroup {@code id} in {@code hierarchy}. */
    static Path dir(Path hierarchy, String id) {
        return hierarchy.resolve(id.substring(1));
    }

    /** A flat-keyed file ({@code memory.stat}, {@code cpu.stat}, {@code memory.events}): {@code key value} lines. */
    static Map<String, Long> keyed(Path file) throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                values.put(f[0], Long.parseLong(f[1]));
            }
        }
        return values;
    }

    /** A single-value file; {@code max} (cgroup v2's "no limit") reads as -1. */
    static long single(Path file) throws IOException {
        String value = Files.readString(file).trim();
        return value.equals("max") ? -1 : Long.parseLong(value);
    }

    /** A key that must be present; a missing one means the file is not what this reader expects. */
    static long required(Map<String, Long> values, String key, Path file) throws IOException {
        Long value = values.get(key);
        if (value == null) {
            throw new IOException(file + " has no " + key);
        }
        return value;
    }

    /** A limit as cAdvisor reports it: 0 when unlimited ({@code max}, or the page-rounded 2^63 of v1). */
    static long limit(long raw) {
        return raw < 0 || raw > CgroupStats.UNLIMITED_ABOVE ? 0 : raw;
    }
}
