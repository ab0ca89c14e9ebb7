package io.vedetta.agent.http;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request and its response on a {@link Connection} in blocking mode, as client_java's exchange so that its
 * scrape handler and our {@link MetricsHandler} write through it. A body of known length goes out with
 * {@code Content-Length}, in one gathering write with the headers when it is large, or coalesced with them when
 * small; one of unknown length (an exposition, streamed as it is written) goes chunked. Large arrays are
 * written in slices so the JDK's temporary direct buffer per writing thread stays small. The response must be read
 * within the route's write timeout, enforced by the selector thread closing the connection.
 */
final class Exchange implements PrometheusHttpExchange {

    /** Thrown when writing to the client fails: the client's doing, not the handler's. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final int SLICE_BYTES = 1 << 19;
    private static final int COALESCE_BYTES = 1 << 13;
    private static final byte[] CRLF = {'\r', '\n'};
    /** The length of a body an HTTP/1.0 client gets without framing, ended by closing the connection. */
    private static final long UNKNOWN = Long.MAX_VALUE;

    private final Connection connection;
    private final RequestHead head;
    private final long writeTimeoutNanos;
    private final boolean keepAlive;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final Request request = new Request();
    private final Response response = new Response();
    private Body body;
    private boolean complete;

    Exchange(Connection connection, RequestHead head, boolean keepAlive, Duration writeTimeout) {
        this.connection = connection;
        this.head = head;
        this.keepAlive = keepAlive;
        this.writeTimeoutNanos = writeTimeout.toNanos();
    }

    boolean keepAlive() {
        return keepAlive;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return request;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return response;
    }

    /** The server handles failures itself: the cause goes to the agent's log, never to the client. */
    @Override
    public void handleException(IOException e) throws IOException {
        throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
        throw e;
    }

    /** Completes the response if the handler left its body open; a failure shows in {@link #finish}. */
    @Override
    public void close() {
        if (body != null && !complete) {
            try {
                body.close();
            } catch (IOException e) {
                // the connection is not reused: finish() sees the response incomplete
            }
        }
    }

    /** After the handler: whether a whole response went out, so the connection can carry another request. */
    boolean finish() throws IOException {
        if (body == null) {
            throw new IOException("the handler sent no response");
        }
        if (!complete) {
            body.close();
        }
        return complete;
    }

    /**
     * After the handler failed: answers 500 if nothing was sent yet. Returns whether the failure is the handler's
     * (counted and logged) rather than a client that went away.
     */
    boolean failBeforeAnswering(Exception e) {
        if (body == null) {
            try {
                responseHeaders.clear();
                response.setHeader("Content-Type", "text/plain; charset=utf-8");
                byte[] text = "the request failed; the cause is in the agent's log\n".getBytes(StandardCharsets.UTF_8);
                try (OutputStream out = response.sendHeadersAndGetBody(500, text.length)) {
                    out.write(text);
                }
            } catch (IOException ignored) {
                // the client is gone as well
            }
        }
        return !(e instanceof ClientGone);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }

    /** Writes {@code buffers} to the client within the response's deadline, which the first write sets. */
    private void send(ByteBuffer... buffers) throws IOException {
        if (connection.writeDeadlineNanos == 0) {
            connection.writeDeadlineNanos = System.nanoTime() + writeTimeoutNanos;
        }
        try {
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    connection.channel.write(buffers);
                }
            }
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private final class Request implements PrometheusHttpRequest {
        @Override
        public String getQueryString() {
            return head.query();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return Collections.enumeration(head.header(name));
        }

        @Override
        public String getMethod() {
            return head.method();
        }

        @Override
        public String getRequestPath() {
            return head.path();
        }
    }

    private final class Response implements PrometheusHttpResponse {
        @Override
        public void setHeader(String name, String value) {
            responseHeaders.put(name, value);
        }

        /**
         * As the JDK's exchange: {@code contentLength} above 0 is the body's length, 0 an unknown length
         * (chunked), -1 no body. A HEAD request gets the headers a GET would, and nothing written is sent.
         */
        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) throws IOException {
            if (body != null) {
                throw new IllegalStateException("the response was already started");
            }
            boolean headRequest = head.method().equals("HEAD");
            StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(statusCode).append(' ')
                    .append(reason(statusCode)).append("\r\n");
            responseHeaders.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
            if (contentLength > 0) {
                text.append("Content-Length: ").append(contentLength).append("\r\n");
            } else if (contentLength == 0 && !headRequest) {
                if (head.http11()) {
                    text.append("Transfer-Encoding: chunked\r\n");
                }
            } else if (!headRequest) {
                text.append("Content-Length: 0\r\n");
            }
            if (!keepAlive) {
                text.append("Connection: close\r\n");
            }
            byte[] headers = text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            if (headRequest || contentLength < 0) {
                body = new Body(headers, 0);
                body.close();
            } else if (contentLength > 0) {
                body = new Body(headers, contentLength);
            } else if (head.http11()) {
                body = new ChunkedBody(headers);
            } else {
                body = new Body(headers, UNKNOWN);
            }
            return body;
        }
    }

    /**
     * A body of known length (0 for none): small writes gather in a buffer behind the headers, a large one goes out
     * with whatever is buffered in one gathering write.
     */
    private class Body extends OutputStream {
        final ByteBuffer pending;
        final long length;
        long written;

        Body(byte[] headers, long length) {
            this.pending = ByteBuffer.allocate(headers.length + 2 * COALESCE_BYTES + 32);
            this.pending.put(headers);
            this.length = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (head.method().equals("HEAD")) {
                return;
            }
            if (complete) {
                throw new IOException("the response is complete");
            }
            written += count;
            if (written > length) {
                throw new IOException("the handler wrote more than the Content-Length of " + length);
            }
            if (count <= COALESCE_BYTES && count <= pending.remaining()) {
                pending.put(bytes, offset, count);
                return;
            }
            sendWithPending(bytes, offset, count);
        }

        /** Sends what is pending with {@code bytes[offset, offset + count)}, a slice at a time. */
        void sendWithPending(byte[] bytes, int offset, int count) throws IOException {
            int first = Math.min(count, SLICE_BYTES);
            pending.flip();
            send(pending, ByteBuffer.wrap(bytes, offset, first));
            pending.clear();
            for (int done = first; done < count; done += SLICE_BYTES) {
                send(ByteBuffer.wrap(bytes, offset + done, Math.min(SLICE_BYTES, count - done)));
            }
        }

        void flushPending() throws IOException {
            pending.flip();
            send(pending);
            pending.clear();
        }

        @Override
        public void close() throws IOException {
            if (complete) {
                return;
            }
            flushPending();
            if (length != UNKNOWN && written != length && !head.method().equals("HEAD")) {
                throw new IOException("the handler wrote " + written + " of the " + length + " bytes announced");
            }
            complete = true;
        }
    }

    /** A body of unknown length, sent in chunks: small writes gather into one chunk, a large one is a chunk of its own. */
    private final class ChunkedBody extends Body {
        private final ByteBuffer chunk = ByteBuffer.allocate(COALESCE_BYTES);

        ChunkedBody(byte[] headers) {
            super(headers, UNKNOWN);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (complete) {
                throw new IOException("the response is complete");
            }
            if (count == 0) {
                return;
            }
            if (count <= chunk.remaining()) {
                chunk.put(bytes, offset, count);
                return;
            }
            pendChunk();
            if (pending.remaining() < 16) {
                flushPending();
            }
            pending.put(sizeLine(count));
            sendWithPending(bytes, offset, count);
            pending.put(CRLF);
        }

        /** Moves the gathered bytes into the pending buffer as one chunk, sending what is pending first if full. */
        private void pendChunk() throws IOException {
            if (chunk.position() == 0) {
                return;
            }
            if (pending.remaining() < chunk.position() + 32) {
                flushPending();
            }
            chunk.flip();
            pending.put(sizeLine(chunk.remaining())).put(chunk).put(CRLF);
            chunk.clear();
        }

        @Override
        public void close() throws IOException {
            if (complete) {
                return;
            }
            pendChunk();
            if (pending.remaining() < 5) {
                flushPending();
            }
            pending.put(new byte[] {'0', '\r', '\n', '\r', '\n'});
            flushPending();
            complete = true;
        }

        private static byte[] sizeLine(int size) {
            return (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
