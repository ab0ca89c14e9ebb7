package io.vedetta.logs.sink.forward;

import io.vedetta.logs.settings.InvalidSettingException;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link ForwardSink}.
 *
 * @param host        the fluentd / Fluent Bit forward input ({@code logs.forward.host})
 * @param port        its port ({@code logs.forward.port}, 24224 by default)
 * @param tag         the tag of each record, with {@code {namespace}}, {@code {pod}} and {@code {container}}
 *                    filled from the record ({@code logs.forward.tag})
 * @param timeout     connect timeout ({@code logs.forward.timeout})
 * @param bufferBytes fluent-logger-java's send buffer; a batch that does not fit goes out in several flushes,
 *                    a single record larger than it is dropped and counted ({@code logs.forward.bufferBytes})
 */
public record ForwardConfig(String host, int port, TagTemplate tag, Duration timeout, int bufferBytes) {

    public static final int DEFAULT_PORT = 24224;
    public static final String DEFAULT_TAG = "kubernetes.{namespace}.{pod}.{container}";

    public ForwardConfig {
        Objects.requireNonNull(tag, "tag");
        if (host == null || host.isBlank()) {
            throw new InvalidSettingException("forward.host", "must name the fluentd forward input, got nothing");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidSettingException("forward.port", "must be between 1 and 65535, got " + port);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidSettingException("forward.timeout", "must be a positive duration, got " + timeout);
        }
        if (bufferBytes < 64 * 1024) {
            throw new InvalidSettingException("forward.bufferBytes", "must be at least 64KiB, got " + bufferBytes);
        }
    }
}
