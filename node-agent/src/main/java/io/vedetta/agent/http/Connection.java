package io.vedetta.agent.http;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection of {@link GuardedHttpServer}. Its fields belong to the server's selector thread, except
 * the write deadline, which the thread writing a response sets and the selector thread enforces.
 */
final class Connection {

    enum State {
        /** Waiting for the first byte of a request. */
        IDLE,
        /** Reading a request's line and headers. */
        HEAD,
        /** A handler has the request; the channel is in blocking mode and off the selector. */
        BUSY
    }

    final SocketChannel channel;
    final InetAddress client;
    final ByteBuffer in;
    SelectionKey key;
    State state = State.IDLE;
    /** When the current state times out (IDLE, HEAD), on {@link System#nanoTime()}'s scale. */
    long deadlineNanos;
    /** Where the last search for the end of the head stopped. */
    int scanned;
    /** Whether a request came in on this connection before (its waits for the next are idle, not slow headers). */
    boolean served;
    /** While a response is written: when it must be done; 0 otherwise. */
    volatile long writeDeadlineNanos;
    /** Set when the selector thread closed the connection because the response was not read in time. */
    volatile boolean writeTimedOut;

    Connection(SocketChannel channel, InetAddress client, int maxHeadBytes) {
        this.channel = channel;
        this.client = client;
        this.in = ByteBuffer.allocate(maxHeadBytes);
    }

    /** Drops the first {@code consumed} bytes read (a request's head), keeping what a client sent after it. */
    void consume(int consumed) {
        in.flip();
        in.position(consumed);
        in.compact();
        scanned = 0;
    }
}
