package io.vedetta.agent.metrics.kubelet;

import io.vedetta.agent.metrics.SourceException;
import java.io.IOException;
import java.io.InputStream;

/**
 * GET requests to this node's kubelet (directly or through the API server's node proxy). The edge that kubelet
 * sources depend on, so they can be tested against recorded responses.
 */
public interface KubeletClient {

    /** Reads the body of a successful response; an IOException while reading is reported as {@code read}. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /**
     * Fetches {@code path} (e.g. {@code /metrics/cadvisor}) and hands the body to {@code reader}.
     *
     * @throws SourceException with reason {@code connect}, {@code tls}, {@code token}, {@code http_status},
     *     {@code unauthorized}, {@code read} or {@code parse}, and a message that says what to check
     */
    <T> T get(String path, BodyReader<T> reader) throws SourceException;
}
