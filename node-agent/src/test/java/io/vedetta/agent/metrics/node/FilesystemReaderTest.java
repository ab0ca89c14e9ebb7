package io.vedetta.agent.metrics.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.agent.metrics.Golden;
import io.vedetta.agent.metrics.SeriesBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FilesystemReaderTest {

    private static final Path FIXTURE = Path.of("src/test/resources/node");
    private static final Path ROOTFS = Path.of("/fixture-host");
    private static final String HUNG = "/var/lib/kubelet";

    @Test
    void hungMountIsGivenUpAfterTheTimeoutAndSkippedUntilItsCallReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FixtureFilesystemStats fixture = new FixtureFilesystemStats(ROOTFS, FIXTURE.resolve("statvfs.txt"));
        FilesystemStats hangingOne = path -> {
            if (path.equals(ROOTFS.resolve(HUNG.substring(1)))) {
                awaitQuietly(release);
            }
            return fixture.stat(path);
        };
        FilesystemReader reader = new FilesystemReader(FIXTURE.resolve("proc"), ROOTFS, hangingOne, Duration.ofMillis(200));

        List<String> first = new ArrayList<>();
        String firstText = read(reader, first);
        List<String> second = new ArrayList<>();
        long start = System.nanoTime();
        String secondText = read(reader, second);
        long secondMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        release.countDown();
        String third = "";
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline
                && !third.contains("node_filesystem_size_bytes{device=\"/dev/sda1\""); Thread.sleep(20)) {
            third = read(reader, new ArrayList<>());
        }

        String hung = "{device=\"/dev/sda1\",fstype=\"ext4\",mountpoint=\"" + HUNG + "\"}";
        assertFalse(firstText.contains("node_filesystem_size_bytes" + hung), firstText);
        assertTrue(firstText.contains("node_filesystem_device_error" + hung + " 1.0"), "a hung mount is a device error");
        assertTrue(secondText.contains("node_filesystem_device_error" + hung + " 1.0"), secondText);
        assertTrue(firstText.contains("mountpoint=\"/\""), firstText);
        assertTrue(first.contains(HUNG + ": statvfs did not return within 200 ms"), first.toString());
        assertTrue(second.stream().anyMatch(s -> s.startsWith(HUNG + ": an earlier statvfs has not returned")), second.toString());
        assertTrue(secondMillis < 200, "a hung mount point must not be waited for again, took " + secondMillis + " ms");
        assertTrue(third.contains("node_filesystem_device_error" + hung + " 0.0"), third);
    }

    @Test
    void mountFieldsAreUnescapedAsTheKernelEscapesThem() {
        assertEquals("/mnt/data disk", FilesystemReader.unescape("/mnt/data\\040disk"));
        assertEquals("/a\\b\tc", FilesystemReader.unescape("/a\\134b\\011c"));
    }

    private static String read(FilesystemReader reader, List<String> skipped) throws IOException {
        SeriesBuffer out = new SeriesBuffer();
        reader.read(out, (subject, cause) -> skipped.add(subject + ": " + cause));
        return Golden.exposition(out.build());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
