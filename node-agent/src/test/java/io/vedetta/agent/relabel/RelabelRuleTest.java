package io.vedetta.agent.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelabelRuleTest {

    private static RelabelRule rule(List<String> sources, String regex, String target, String replacement,
            String action) {
        return RelabelRule.of(new RelabelRule.Written(sources, null, regex, null, target, replacement, action));
    }

    private static LabelBuilder labels() {
        return new LabelBuilder(Map.of("__name__", "http_requests_total", "code", "200", "method", "GET",
                "__meta_kubernetes_pod_label_app", "shop", "__meta_kubernetes_pod_label_tier", "web"));
    }

    @Test
    void replaceAnchorsTheRegexJoinsSourcesWithTheSeparatorAndExpandsGroups() {
        LabelBuilder l = labels();
        assertTrue(rule(List.of("code", "method"), "(\\d)\\d\\d;(.*)", "kind", "${1}xx-$2", null).apply(l));
        assertEquals("2xx-GET", l.get("kind"));

        assertTrue(rule(List.of("code"), "0", "none", "x", "replace").apply(l));
        assertFalse(l.has("none"), "an unanchored match would have set it");
    }

    @Test
    void replaceWithTheDefaultsCopiesTheSourceAndAnEmptyResultRemovesTheTarget() {
        LabelBuilder l = labels();
        assertTrue(rule(List.of("method"), null, "verb", null, null).apply(l));
        assertEquals("GET", l.get("verb"));

        assertTrue(rule(List.of("missing"), null, "verb", null, null).apply(l));
        assertFalse(l.has("verb"));
    }

    @Test
    void expandsReplacementsAsGoDoes() {
        LabelBuilder l = labels();
        assertTrue(rule(List.of("code"), "(?P<first>\\d)(\\d+)", "a", "$1x|${1}x|$first|$$|$|${2}", null).apply(l));
        assertEquals("|2x|2|$|$|00", l.get("a"), "$1x names a group 1x, which does not exist");
    }

    @Test
    void keepAndDropDecideOnTheWholeValue() {
        assertTrue(rule(List.of("code"), "2..", null, null, "keep").apply(labels()));
        assertFalse(rule(List.of("code"), "2.", null, null, "keep").apply(labels()));
        assertFalse(rule(List.of("method"), "GET|POST", null, null, "drop").apply(labels()));
        assertTrue(rule(List.of("method"), "GE", null, null, "drop").apply(labels()));
    }

    @Test
    void keepequalAndDropequalCompareTheSourceWithTheTarget() {
        LabelBuilder l = labels().set("copy", "200");
        assertTrue(RelabelRule.of(new RelabelRule.Written(List.of("code"), null, null, null, "copy", null,
                "keepequal")).apply(l));
        assertFalse(RelabelRule.of(new RelabelRule.Written(List.of("code"), null, null, null, "copy", null,
                "dropequal")).apply(l));
    }

    @Test
    void labelmapLabeldropAndLabelkeepWorkOnNames() {
        LabelBuilder l = labels();
        assertTrue(rule(null, "__meta_kubernetes_pod_label_(.+)", null, "pod_$1", "labelmap").apply(l));
        assertEquals("shop", l.get("pod_app"));
        assertEquals("web", l.get("pod_tier"));

        assertTrue(rule(null, "__meta_.*", null, null, "labeldrop").apply(l));
        assertEquals(Map.of("__name__", "http_requests_total", "code", "200", "method", "GET", "pod_app", "shop",
                "pod_tier", "web"), l.toMap());

        assertTrue(rule(null, "__name__|code", null, null, "labelkeep").apply(l));
        assertEquals(Map.of("__name__", "http_requests_total", "code", "200"), l.toMap());
    }

    @Test
    void lowercaseUppercaseAndHashmodSetTheTarget() {
        LabelBuilder l = labels();
        assertTrue(rule(List.of("method"), null, "lower", null, "lowercase").apply(l));
        assertTrue(rule(List.of("lower"), null, "upper", null, "uppercase").apply(l));
        assertTrue(RelabelRule.of(new RelabelRule.Written(List.of("method"), null, null, 10L, "shard", null,
                "hashmod")).apply(l));
        assertEquals("get", l.get("lower"));
        assertEquals("GET", l.get("upper"));
        int shard = Integer.parseInt(l.get("shard"));
        assertTrue(shard >= 0 && shard < 10, l.get("shard"));
    }

    @Test
    void translatesRe2SpellingsJavaReadsOtherwise() {
        assertTrue(GoRegex.compile("[[:alpha:]]+[[:digit:]]").matches("abc1"));
        assertFalse(GoRegex.compile("[[:alpha:]]+").matches(":"), "Java alone reads [[:alpha:]] as a set of letters");
        assertTrue(GoRegex.compile("(?P<x>a)b").matches("ab"));
        assertFalse(GoRegex.compile("abc").matches("abc\n"), "$ at the end of a value only, as RE2's");
    }

    @Test
    void refusesWhatPrometheusRefuses() {
        assertThrows(IllegalArgumentException.class, () -> rule(List.of("a"), null, null, null, "replace"));
        assertThrows(IllegalArgumentException.class, () -> rule(List.of("a"), null, "t", null, "hashmod"));
        assertThrows(IllegalArgumentException.class, () -> rule(List.of("a"), "x", null, null, "labeldrop"));
        assertThrows(IllegalArgumentException.class, () -> rule(null, "(", "t", null, null));
        assertThrows(IllegalArgumentException.class, () -> rule(null, null, "t", null, "explode"));
        assertThrows(IllegalArgumentException.class, () -> rule(List.of("a"), null, "1bad", null, null));
    }
}
