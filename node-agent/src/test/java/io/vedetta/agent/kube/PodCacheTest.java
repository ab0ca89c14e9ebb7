package io.vedetta.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.pods.PodInfo;
import io.vedetta.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodCacheTest {

    private static final String ID_1 = "a".repeat(64);
    private static final String ID_2 = "b".repeat(64);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PodCache cache = new PodCache(Duration.ofSeconds(120), clock);

    @Test
    void findsAPodByUidNameAndBareOrPrefixedContainerId() {
        cache.put(PodStates.from(Pods.running("shop", "web-0", "uid-1", ID_1)));

        PodInfo info = cache.byUid("uid-1").orElseThrow();
        assertEquals("web-0", info.name());
        assertEquals("node-a", info.nodeName());
        assertEquals("ReplicaSet", info.ownerKind());
        assertEquals("web-0-rs", info.ownerName());
        assertEquals(ID_1, info.container("app").orElseThrow().containerId());
        assertEquals("registry.example/app@sha256:feed", info.container("app").orElseThrow().imageId());
        assertEquals(info, cache.byName("shop", "web-0").orElseThrow());
        assertEquals(info, cache.byContainerId(ID_1).orElseThrow());
        assertEquals(info, cache.byContainerId("containerd://" + ID_1).orElseThrow());
    }

    @Test
    void keepsDeletedPodMetadataUntilTheGraceHasPassed() {
        cache.put(PodStates.from(Pods.running("shop", "web-0", "uid-1", ID_1)));
        cache.delete("uid-1");

        assertTrue(cache.livePods().isEmpty(), "a deleted pod leaves the pod-state series at once");
        clock.advance(Duration.ofSeconds(119));
        assertTrue(cache.byUid("uid-1").isPresent());
        assertTrue(cache.byName("shop", "web-0").isPresent());
        assertTrue(cache.byContainerId(ID_1).isPresent());

        clock.advance(Duration.ofSeconds(1));
        assertTrue(cache.byUid("uid-1").isEmpty());
        assertTrue(cache.byName("shop", "web-0").isEmpty());
        assertTrue(cache.byContainerId(ID_1).isEmpty());
    }

    @Test
    void aRecreatedPodTakesOverItsNameWhileTheOldOneIsInGrace() {
        cache.put(PodStates.from(Pods.running("shop", "web-0", "uid-1", ID_1)));
        cache.delete("uid-1");
        cache.put(PodStates.from(Pods.running("shop", "web-0", "uid-2", ID_2)));

        assertEquals("uid-2", cache.byName("shop", "web-0").orElseThrow().uid());
        assertEquals("uid-1", cache.byContainerId(ID_1).orElseThrow().uid());

        clock.advance(Duration.ofSeconds(120));
        cache.purgeExpired();
        assertEquals("uid-2", cache.byName("shop", "web-0").orElseThrow().uid(), "expiry of the old pod keeps the new name");
        assertTrue(cache.byContainerId(ID_1).isEmpty());
    }

    @Test
    void podsMissingFromAFreshListCountAsDeleted() {
        cache.put(PodStates.from(Pods.running("shop", "web-0", "uid-1", ID_1)));
        cache.put(PodStates.from(Pods.running("shop", "web-1", "uid-2", ID_2)));

        cache.retainOnly(Set.of("uid-2"));

        assertEquals(1, cache.livePods().size());
        assertEquals("uid-2", cache.livePods().get(0).uid());
        assertTrue(cache.byUid("uid-1").isPresent(), "still in its deletion grace");
    }
}
