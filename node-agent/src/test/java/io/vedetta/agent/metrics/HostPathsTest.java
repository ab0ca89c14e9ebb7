package io.vedetta.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostPathsTest {

    @Test
    void onTheHostEverythingIsInItsUsualPlace() {
        HostPaths paths = HostPaths.under(Path.of("/"));

        assertEquals(new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/")), paths);
        assertEquals(Path.of("/sys/fs/cgroup"), paths.cgroup());
    }

    @Test
    void inTheDaemonSetTheHostRootFilesystemIsUnderRoot() {
        HostPaths paths = HostPaths.under(Path.of("/host/"));

        assertEquals(new HostPaths(Path.of("/host/proc"), Path.of("/host/sys"), Path.of("/host/root")), paths);
        assertEquals(Path.of("/host/sys/fs/cgroup"), paths.cgroup());
    }
}
