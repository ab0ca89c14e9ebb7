package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;

/** {@code /proc/sys/fs/file-nr}: file handles allocated and the system-wide maximum. */
final class FileFdReader implements NodeReader {

    private final Path file;

    FileFdReader(Path procRoot) {
        this.file = procRoot.resolve("sys").resolve("fs").resolve("file-nr");
    }

    @Override
    public String name() {
        return "filefd";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        String[] f = KernelFiles.fields(KernelFiles.read(file));
        if (f.length != 3) {
            throw new IOException(file + " holds \"" + String.join(" ", f) + "\", expected allocated, unused, maximum");
        }
        out.add(NodeMetrics.FILEFD_ALLOCATED, Double.parseDouble(f[0]));
        out.add(NodeMetrics.FILEFD_MAXIMUM, Double.parseDouble(f[2]));
    }
}
