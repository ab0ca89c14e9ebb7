package io.vedetta.logs.sink.forward;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.MessagePack;
import org.msgpack.type.Value;
import org.msgpack.unpacker.Unpacker;

/**
 * A forward-protocol input on a real socket that decodes what arrives with msgpack (the library
 * fluent-logger-java itself uses). It accepts Message mode {@code [tag, time, record]}, the only mode
 * fluent-logger-java 0.3.4 sends; anything else is kept as an error so the test fails on it. It can be
 * stopped (every connection closed) and started again on the same port.
 */
final class ForwardReceiver implements AutoCloseable {

    record Event(String tag, long time, Map<String, Object> record) {
    }

    private final int port;
    private final List<Event> events = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Socket> connections = new ArrayList<>();
    private ServerSocket server;

    private ForwardReceiver(int port) {
        this.port = port;
    }

    /** A receiver listening on a free port. */
    static ForwardReceiver started() throws IOException {
        ForwardReceiver receiver = new ForwardReceiver(0);
        return receiver.listen();
    }

    /** A receiver whose port is reserved but that does not listen yet: connections are refused. */
    static ForwardReceiver down() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new ForwardReceiver(probe.getLocalPort());
        }
    }

    int port() {
        return server != null ? server.getLocalPort() : port;
    }

    synchronized ForwardReceiver listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        bind(socket, new InetSocketAddress(InetAddress.getLoopbackAddress(), port()));
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "forward-receiver-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /** The port of a receiver that just stopped can stay busy for a moment while its connections close. */
    private static void bind(ServerSocket socket, InetSocketAddress address) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                socket.bind(address, 50);
                return;
            } catch (BindException e) {
                if (attempt == 100) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                synchronized (this) {
                    if (socket.isClosed()) {
                        connection.close();
                        return;
                    }
                    connections.add(connection);
                }
                Thread reader = new Thread(() -> read(connection), "forward-receiver-read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket connection) {
        try (InputStream in = connection.getInputStream()) {
            Unpacker unpacker = new MessagePack().createUnpacker(in);
            while (true) {
                decode(unpacker.readValue());
            }
        } catch (EOFException e) {
            // The sender closed the connection.
        } catch (IOException e) {
            if (!connection.isClosed()) {
                synchronized (this) {
                    errors.add("read failed: " + e);
                }
            }
        }
    }

    private synchronized void decode(Value message) {
        if (!message.isArrayValue() || message.asArrayValue().size() != 3
                || !message.asArrayValue().get(1).isIntegerValue()) {
            errors.add("not a Message mode entry: " + message);
            return;
        }
        List<Value> entry = message.asArrayValue();
        events.add(new Event(entry.get(0).asRawValue().getString(), entry.get(1).asIntegerValue().getLong(),
                map(entry.get(2))));
    }

    /** Stops listening and drops every connection, as a receiver that goes away does. */
    synchronized void stop() throws IOException {
        server.close();
        for (Socket connection : connections) {
            connection.close();
        }
        connections.clear();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
    }

    private static Map<String, Object> map(Value value) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : value.asMapValue().entrySet()) {
            map.put(e.getKey().asRawValue().getString(), java(e.getValue()));
        }
        return map;
    }

    /** Java values as Jackson reads JSON: ints that fit as Integer, else Long. */
    private static Object java(Value value) {
        switch (value.getType()) {
            case NIL:
                return null;
            case BOOLEAN:
                return value.asBooleanValue().getBoolean();
            case INTEGER:
                long n = value.asIntegerValue().getLong();
                return n == (int) n ? (Object) (int) n : (Object) n;
            case FLOAT:
                return value.asFloatValue().getDouble();
            case RAW:
                return value.asRawValue().getString();
            case ARRAY:
                List<Object> list = new ArrayList<>();
                value.asArrayValue().forEach(v -> list.add(java(v)));
                return list;
            default:
                return map(value);
        }
    }
}
