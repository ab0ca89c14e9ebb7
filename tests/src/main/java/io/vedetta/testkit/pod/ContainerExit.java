package io.vedetta.testkit.pod;

import java.time.Instant;

/**
 * How a container ended, as the kubelet reports it: the exit code (128 + the signal when a signal killed it), the
 * reason ({@code Completed}, {@code Error}, {@code OOMKilled}) and when.
 */
public record ContainerExit(int code, String reason, Instant finishedAt) {
}
