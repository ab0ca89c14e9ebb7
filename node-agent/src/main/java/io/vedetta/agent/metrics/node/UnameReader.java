package io.vedetta.agent.metrics.node;

import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code node_uname_info} from {@code /proc/sys/kernel}, which holds what uname(2) returns. The host name and
 * domain name are those of the reader's UTS namespace, the node's own with {@code hostNetwork: true}.
 * {@code arch} exists since Linux 6.1; on older kernels the machine comes from the JVM's {@code os.arch}.
 */
final class UnameReader implements NodeReader {

    private final Path kernel;

    UnameReader(Path procRoot) {
        this.kernel = procRoot.resolve("sys").resolve("kernel");
    }

    @Override
    public String name() {
        return "uname";
    }

    @Override
    public void read(SeriesBuffer out, Skipped skipped) throws IOException {
        Path arch = kernel.resolve("arch");
        String machine = Files.exists(arch) ? value("arch") : machineFromJvm(System.getProperty("os.arch"));
        out.add(NodeMetrics.UNAME, 1, value("ostype"), value("osrelease"), value("version"), machine,
                value("hostname"), value("domainname"));
    }

    private String value(String name) throws IOException {
        return KernelFiles.read(kernel.resolve(name)).strip();
    }

    /** The JVM names two architectures differently from the kernel; the rest are spelled alike. */
    static String machineFromJvm(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64" -> "x86_64";
            case "x86" -> "i686";
            default -> osArch;
        };
    }
}
