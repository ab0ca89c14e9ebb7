package io.vedetta.agent.metrics.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a stat says about a file, to tell cheaply whether it changed since it was read: a rewrite in place changes
 * its time or size, a replacement (rename over it, or a new {@code ..data} symlink target) its file key.
 */
record FileState(boolean exists, boolean regularFile, FileTime modified, long size, Object fileKey) {

    static final FileState ABSENT = new FileState(false, false, null, -1, null);

    static FileState of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileState(true, a.isRegularFile(), a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return ABSENT;
        } catch (IOException e) {
            return new FileState(true, false, null, -1, e.getClass().getName());
        }
    }
}
