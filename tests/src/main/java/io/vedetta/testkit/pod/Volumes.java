package io.vedetta.testkit.pod;

import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's volumes made ready on the node before its container starts, as the kubelet does: hostPath checked against
 * its {@code type} (and created where the type, or for type {@code ""} the container runtime, creates it), ConfigMap
 * and Secret keys written with their modes in the kubelet's layout (files are links through {@code ..data} to a
 * timestamped directory, and mounted read-only whatever the mount says), emptyDir as a tmpfs of its own sized to its
 * {@code sizeLimit} (where the kubelet evicts a pod over the limit, writes here fail with ENOSPC). Volumes live as long
 * as the pod, across container restarts.
 */
final class Volumes implements AutoCloseable {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");

    private final Path dir;
    private final String id;
    private final Map<String, Prepared> prepared = new LinkedHashMap<>();
    private final List<Path> tmpfs = new ArrayList<>();

    /** Where a volume is on the node, and whether the kubelet mounts it read-only whatever the container asks. */
    record Prepared(Path source, boolean alwaysReadOnly) {
    }

    /** Supplies the node's view of host paths and the objects of the pod's namespace. */
    interface Node {
        Path hostPath(String path);

        Map<String, byte[]> configMap(String name);

        Map<String, byte[]> secret(String name);
    }

    /** {@code id} names the tmpfs mounts, so a dead run's can be found. */
    Volumes(Path dir, String id) {
        this.dir = dir;
        this.id = id;
    }

    void prepare(List<Volume> volumes, Node node) {
        for (Volume volume : volumes == null ? List.<Volume>of() : volumes) {
            String name = volume.getName();
            if (volume.getHostPath() != null) {
                prepared.put(name, new Prepared(hostPath(volume.getHostPath(), node), false));
            } else if (volume.getConfigMap() != null) {
                ConfigMapVolumeSource source = volume.getConfigMap();
                Map<String, byte[]> data = node.configMap(source.getName());
                prepared.put(name, new Prepared(keys("configmap", name, data, source.getItems(), source.getDefaultMode(),
                        source.getOptional(), "ConfigMap " + source.getName()), true));
            } else if (volume.getSecret() != null) {
                SecretVolumeSource source = volume.getSecret();
                Map<String, byte[]> data = node.secret(source.getSecretName());
                prepared.put(name, new Prepared(keys("secret", name, data, source.getItems(), source.getDefaultMode(),
                        source.getOptional(), "Secret " + source.getSecretName()), true));
            } else if (volume.getEmptyDir() != null) {
                prepared.put(name, new Prepared(emptyDir(name, volume.getEmptyDir().getMedium(),
                        volume.getEmptyDir().getSizeLimit()), false));
            } else {
                throw new UnsupportedPodSpecException("the pod runner does not support volume " + name + "'s type");
            }
        }
    }

    Prepared get(String name) {
        Prepared volume = prepared.get(name);
        if (volume == null) {
            throw new PodStartException("CreateContainerConfigError: a volumeMount names volume " + name
                    + ", which the pod does not declare");
        }
        return volume;
    }

    /** The kubelet's hostPath type check, then the runtime's: type "" creates a missing path as a directory. */
    static Path hostPath(HostPathVolumeSource source, Node node) {
        String type = source.getType() == null ? "" : source.getType();
        Path path = node.hostPath(source.getPath());
        boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.exists(path);
        try {
            switch (type) {
                case "", "DirectoryOrCreate" -> {
                    if (!exists) {
                        Files.createDirectories(path);
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else if (type.equals("DirectoryOrCreate") && !Files.isDirectory(path)) {
                        throw typeCheck(source, "is not a directory");
                    }
                }
                case "Directory" -> {
                    if (!Files.isDirectory(path)) {
                        throw typeCheck(source, "is not a directory");
                    }
                }
                case "FileOrCreate" -> {
                    if (!exists) {
                        if (!Files.isDirectory(path.getParent())) {
                            throw typeCheck(source, "cannot be created: its parent directory does not exist");
                        }
                        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                    } else if (!Files.isRegularFile(path)) {
                        throw typeCheck(source, "is not a file");
                    }
                }
                case "File" -> {
                    if (!Files.isRegularFile(path)) {
                        throw typeCheck(source, "is not a file");
                    }
                }
                default -> throw new UnsupportedPodSpecException("the pod runner does not support hostPath type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("preparing hostPath " + source.getPath() + " at " + path, e);
        }
        return path;
    }

    private static PodStartException typeCheck(HostPathVolumeSource source, String what) {
        return new PodStartException("hostPath type check failed: " + source.getPath() + " " + what
                + " (type " + source.getType() + "); the pod does not start");
    }

    private Path keys(String kind, String name, Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode,
            Boolean optional, String object) {
        if (data == null && !Boolean.TRUE.equals(optional)) {
            throw new PodStartException("MountVolume.SetUp failed for volume " + name + ": " + object + " not found");
        }
        Map<String, byte[]> present = data == null ? Map.of() : data;
        Map<String, Integer> modes = new LinkedHashMap<>();
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            present.forEach((key, value) -> {
                files.put(key, value);
                modes.put(key, defaultMode);
            });
        } else {
            for (KeyToPath item : items) {
                byte[] value = present.get(item.getKey());
                if (value == null) {
                    if (Boolean.TRUE.equals(optional)) {
                        continue;
                    }
                    throw new PodStartException("MountVolume.SetUp failed for volume " + name + ": " + object
                            + " has no key " + item.getKey());
                }
                files.put(item.getPath(), value);
                modes.put(item.getPath(), item.getMode() != null ? item.getMode() : defaultMode);
            }
        }
        Path root = dir.resolve(kind).resolve(name);
        try {
            Path stamped = Files.createDirectories(root.resolve(LocalDateTime.now().format(TIMESTAMP)));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = stamped.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
                Integer mode = modes.get(file.getKey());
                Files.setPosixFilePermissions(target, permissions(mode == null ? 0644 : mode));
            }
            Files.createSymbolicLink(root.resolve("..data"), stamped.getFileName());
            for (String top : files.keySet().stream().map(p -> p.split("/")[0]).distinct().toList()) {
                Files.createSymbolicLink(root.resolve(top), Path.of("..data", top));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing volume " + name, e);
        }
        return root;
    }

    private Path emptyDir(String name, String medium, Quantity sizeLimit) {
        if (medium != null && !medium.isEmpty() && !medium.equals("Memory")) {
            throw new UnsupportedPodSpecException("the pod runner does not support emptyDir medium " + medium);
        }
        Path mountPoint = dir.resolve("empty-dir").resolve(name);
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String options = "mode=0777,nosuid,nodev";
        if (sizeLimit != null) {
            options += ",size=" + Quantity.getAmountInBytes(sizeLimit).toBigInteger();
        }
        Shell.run("mount", "-t", "tmpfs", "-o", options, id + "-empty-dir", mountPoint.toString());
        tmpfs.add(mountPoint);
        return mountPoint;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    @Override
    public void close() {
        for (Path mountPoint : tmpfs) {
            Shell.attempt("umount", "-l", mountPoint.toString());
        }
        tmpfs.clear();
    }
}
