package io.vedetta.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.Http;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Who leads among a test's agents, whether they run as processes or as pods. */
final class Leaders {

    private Leaders() {
    }

    /** The agents of {@code running} that say they lead. */
    static <M> List<M> among(List<M> running, Predicate<M> leads) {
        return running.stream().filter(leads).toList();
    }

    /** Waits until exactly one of the running agents leads and returns it; fails the test if none or several do. */
    static <M> M awaitOne(Supplier<List<M>> running, Predicate<M> leads, Duration timeout) {
        Object[] found = new Object[1];
        List<?>[] last = new List<?>[] {List.of()};
        assertTrue(Http.await(timeout, () -> {
            List<M> leading = among(running.get(), leads);
            last[0] = leading;
            found[0] = leading.size() == 1 ? leading.get(0) : null;
            return found[0] != null;
        }), "no single leader among " + running.get() + "; leading: " + last[0]);
        @SuppressWarnings("unchecked")
        M leader = (M) found[0];
        return leader;
    }
}
