package io.vedetta.logs.tail;

import java.util.concurrent.TimeUnit;

/**
 * Where the tailer hands its lines: the next stage's bounded input. Returning {@code false} means
 * "full"; the tailer then keeps the line, marks itself paused and offers it again, so nothing is dropped.
 * {@code BlockingQueue::offer} fits as is.
 */
@FunctionalInterface
public interface LineConsumer {

    boolean offer(RawLine line, long timeout, TimeUnit unit) throws InterruptedException;
}
