package io.vedetta.agent.cluster.events;

import io.vedetta.logs.record.Acknowledgement;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The resource version the events are delivered up to. Everything handed to the sink is registered here in the
 * order the API server sent it; the sink acknowledges in any order; the checkpoint moves to the resource version
 * of the last registered item before which everything is acknowledged. Resuming a watch from it therefore
 * replays nothing that was lost and little that was not (ids keep Elasticsearch free of the replayed).
 *
 * <p>Items of a list carry no version of their own (a list is not ordered by version): the list's version is
 * registered after them and becomes the checkpoint once all of them are acknowledged. Bookmarks are registered as
 * versions without a record.
 */
final class Checkpoints {

    private static final class Item {
        final String resourceVersion;
        volatile boolean done;

        Item(String resourceVersion) {
            this.resourceVersion = resourceVersion;
        }
    }

    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private String acknowledged;
    private int outstanding;

    Checkpoints(Optional<String> start) {
        this.acknowledged = start.orElse(null);
    }

    /** A record whose acknowledgement moves the checkpoint; {@code resourceVersion} null for a listed item. */
    synchronized Acknowledgement record(String resourceVersion) {
        Item item = new Item(resourceVersion);
        pending.addLast(item);
        outstanding++;
        return () -> done(item);
    }

    /** A version with nothing to deliver (a list's end, a bookmark): reached once what came before is delivered. */
    synchronized void version(String resourceVersion) {
        Item item = new Item(resourceVersion);
        item.done = true;
        pending.addLast(item);
        drain();
    }

    private synchronized void done(Item item) {
        if (!item.done) {
            item.done = true;
            outstanding--;
            drain();
        }
    }

    private void drain() {
        while (!pending.isEmpty() && pending.peekFirst().done) {
            Item head = pending.pollFirst();
            if (head.resourceVersion != null) {
                acknowledged = head.resourceVersion;
            }
        }
    }

    synchronized Optional<String> acknowledged() {
        return Optional.ofNullable(acknowledged);
    }

    /** Records handed on and not yet acknowledged. */
    synchronized int pending() {
        return outstanding;
    }
}
