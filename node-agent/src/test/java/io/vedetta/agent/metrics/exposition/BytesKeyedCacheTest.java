package io.vedetta.agent.metrics.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vedetta.bytes.Words;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cache against a map that does the same by the book, over parses that keep, reorder, repeat, add and drop keys,
 * parses that fail (no end) and clears: whatever order the lookups come in, a key finds the value put for it while
 * the last whole parse or a later one looked it up, and nothing else.
 */
class BytesKeyedCacheTest {

    @Test
    void findsWhatTheLastParsesLookedUpWhateverTheOrderOfLookups() {
        Random random = new Random(21);
        BytesKeyedCache<String> cache = new BytesKeyedCache<>();
        Map<String, String> model = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add("series{i=\"" + i + "\"}");
        }
        List<String> response = new ArrayList<>(keys.subList(0, 100));
        int values = 0;
        for (int parse = 0; parse < 400; parse++) {
            response = next(response, keys, random);
            cache.beginParse();
            Set<String> seen = new HashSet<>();
            for (String key : response) {
                byte[] line = ("  " + key + " 1").getBytes(StandardCharsets.UTF_8);
                int to = 2 + key.length();
                String found = cache.get(line, 2, to, Words.hash(line, 2, to));
                assertEquals(model.get(key), found, key + " in parse " + parse);
                if (found == null) {
                    String value = key + "#" + values++;
                    cache.put(line, 2, to, Words.hash(line, 2, to), value);
                    model.put(key, value);
                }
                seen.add(key);
            }
            int end = random.nextInt(10);
            if (end == 0) {
                // A failed read: nothing is dropped.
                continue;
            }
            if (end == 1) {
                List<String> dropped = new ArrayList<>();
                cache.clear(dropped::add);
                assertEquals(new HashSet<>(model.values()), new HashSet<>(dropped), "cleared in parse " + parse);
                model.clear();
                continue;
            }
            List<String> dropped = new ArrayList<>();
            cache.endParse(dropped::add);
            Set<String> expected = new HashSet<>();
            model.entrySet().removeIf(e -> {
                if (!seen.contains(e.getKey())) {
                    expected.add(e.getValue());
                    return true;
                }
                return false;
            });
            assertEquals(expected, new HashSet<>(dropped), "dropped at the end of parse " + parse);
            assertEquals(model.size(), cache.size());
        }
    }

    /** The next response: mostly the last one, sometimes with series moved, repeated, added or gone. */
    private static List<String> next(List<String> last, List<String> keys, Random random) {
        List<String> next = new ArrayList<>(last);
        switch (random.nextInt(6)) {
            case 0 -> Collections.shuffle(next, random);
            case 1 -> next.add(random.nextInt(next.size() + 1), next.get(random.nextInt(next.size())));
            case 2 -> next.add(random.nextInt(next.size() + 1), keys.get(random.nextInt(keys.size())));
            case 3 -> next.remove(random.nextInt(next.size()));
            case 4 -> Collections.swap(next, random.nextInt(next.size()), random.nextInt(next.size()));
            default -> { }
        }
        if (next.size() < 10) {
            next.addAll(keys.subList(0, 10));
        }
        return next;
    }
}
