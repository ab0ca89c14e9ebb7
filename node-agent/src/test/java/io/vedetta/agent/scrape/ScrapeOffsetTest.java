package io.vedetta.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The offsets that keep a node's scrapes from all firing at once. */
class ScrapeOffsetTest {

    private static final long INTERVAL = 30_000;

    private static String key(int pod) {
        return "http://10.244.1." + pod + ":8080/metrics {instance=10.244.1." + pod + ":8080, job=shop/web, pod=web-"
                + pod + "}";
    }

    @Test
    void spreadsTheTargetsOfANodeOverTheirInterval() {
        int targets = 200;
        int[] perTenth = new int[10];
        for (int pod = 0; pod < targets; pod++) {
            long offset = ScrapeManager.offset(key(pod), "node-a", INTERVAL);
            assertTrue(offset >= 0 && offset < INTERVAL, offset + " is outside the interval");
            perTenth[(int) (offset * 10 / INTERVAL)]++;
        }
        // 20 expected per tenth; a uniform spread puts more than 40 in one tenth with a probability below 1e-5.
        assertTrue(Arrays.stream(perTenth).allMatch(n -> n > 0 && n <= 40), Arrays.toString(perTenth));
    }

    @Test
    void keepsATargetAtItsOffsetAndMovesTheSameTargetOnAnotherNode() {
        assertEquals(ScrapeManager.offset(key(7), "node-a", INTERVAL), ScrapeManager.offset(key(7), "node-a", INTERVAL));
        assertNotEquals(ScrapeManager.offset(key(7), "node-a", INTERVAL),
                ScrapeManager.offset(key(7), "node-b", INTERVAL));
    }
}
