package io.vedetta.testkit.pod;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 GET from where the kubelet stands (the node's network namespace) to a pod, over a socket the caller
 * connects: the kubelet's probes and a test's view of the pod's endpoints use the same path. Reads a fixed-length,
 * chunked or to-the-close body.
 */
final class PodHttp {

    /** Connects a socket to the pod's address from the node's side. */
    @FunctionalInterface
    interface Connector {
        Socket connect(InetSocketAddress address, Duration timeout) throws IOException;
    }

    record Response(int status, String body) {
    }

    private PodHttp() {
    }

    static Response get(Connector connector, InetSocketAddress address, String path, Map<String, String> headers,
            Duration timeout) throws IOException {
        try (Socket socket = connector.connect(address, timeout)) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n")
                    .append("User-Agent: kube-probe/1.30\r\nAccept: */*\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: " + status);
            }
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes((int) size));
                    line(in);
                }
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            } else {
                in.transferTo(body);
            }
            return new Response(Integer.parseInt(parts[1]), body.toString(StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the middle of the response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
