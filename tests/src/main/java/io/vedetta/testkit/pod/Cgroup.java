package io.vedetta.testkit.pod;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container's cgroup with its resources applied as the kubelet asks the runtime to: {@code limits.memory} as the
 * memory limit (which the JVM reads to size its heap, so {@code -XX:MaxRAMPercentage} means what it means in a
 * cluster), {@code limits.cpu} as a CFS quota. {@code requests.cpu} is not applied: as CPU shares it weighs a pod
 * against the other pods under the node's kubepods cgroup, but here it would weigh the container against every
 * process of this machine, and on a busy machine starve it (the agent's 100m got well under 1% of a CPU while
 * other builds ran). cgroup v1 (a controller per hierarchy) and v2 (one unified hierarchy) are both handled; a limit
 * that cannot be applied fails the start.
 */
final class Cgroup implements AutoCloseable {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long PERIOD_MICROS = 100_000;

    private final List<Path> directories;

    private Cgroup(List<Path> directories) {
        this.directories = directories;
    }

    static Cgroup create(String name, ResourceRequirements resources) {
        Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
        Long memory = limits.containsKey("memory") ? Quantity.getAmountInBytes(limits.get("memory")).longValue() : null;
        BigDecimal cpuLimit = limits.containsKey("cpu") ? Quantity.getAmountInBytes(limits.get("cpu")) : null;
        List<Path> made = new ArrayList<>();
        Cgroup cgroup = new Cgroup(made);
        try {
            if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
                Path dir = make(ROOT.resolve(name), made);
                enable(ROOT.resolve("cgroup.subtree_control"), memory != null, cpuLimit != null);
                if (memory != null) {
                    write(dir.resolve("memory.max"), String.valueOf(memory));
                }
                if (cpuLimit != null) {
                    write(dir.resolve("cpu.max"), quota(cpuLimit) + " " + PERIOD_MICROS);
                }
            } else {
                if (memory != null) {
                    write(make(controller("memory").resolve(name), made).resolve("memory.limit_in_bytes"), String.valueOf(memory));
                }
                if (cpuLimit != null) {
                    Path cpu = make(controller("cpu").resolve(name), made);
                    write(cpu.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
                    write(cpu.resolve("cpu.cfs_quota_us"), String.valueOf(quota(cpuLimit)));
                }
            }
        } catch (RuntimeException e) {
            cgroup.close();
            throw e;
        }
        return cgroup;
    }

    /** Files a process writes its PID into to join this cgroup, one per hierarchy. */
    List<Path> procsFiles() {
        return directories.stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    /** The memory hierarchy's directory (to read OOM kills from), or null without a memory limit. */
    Path memory() {
        return directories.stream().filter(d -> Files.exists(d.resolve("memory.limit_in_bytes"))
                || Files.exists(d.resolve("memory.max"))).findFirst().orElse(null);
    }

    /** How many times the kernel's OOM killer killed a process of this cgroup. */
    long oomKills() {
        Path dir = memory();
        if (dir == null) {
            return 0;
        }
        Path file = Files.exists(dir.resolve("memory.events")) ? dir.resolve("memory.events") : dir.resolve("memory.oom_control");
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring(9).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static long quota(BigDecimal cpus) {
        return Math.max(1000, cpus.multiply(BigDecimal.valueOf(PERIOD_MICROS)).longValue());
    }

    private static Path controller(String name) {
        Path dir = ROOT.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new PodStartException("no cgroup v1 " + name + " controller at " + dir + ": the pod runner cannot"
                    + " apply the container's resources as a runtime would");
        }
        return dir;
    }

    private static Path make(Path dir, List<Path> made) {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new PodStartException("cannot create cgroup " + dir + ": " + e.getMessage() + " (the runner needs root)", e);
        }
        made.add(dir);
        return dir;
    }

    private static void enable(Path subtreeControl, boolean memory, boolean cpu) {
        if (memory) {
            write(subtreeControl, "+memory");
        }
        if (cpu) {
            write(subtreeControl, "+cpu");
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new PodStartException("cannot write " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the cgroup once its processes are gone; the kernel takes a moment to let go of a process that just died. */
    @Override
    public void close() {
        for (Path dir : directories) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (IOException e) {
                    if (attempt == 100) {
                        throw new UncheckedIOException("cgroup " + dir + " still has processes", e);
                    }
                    sleep();
                }
            }
        }
        directories.clear();
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
