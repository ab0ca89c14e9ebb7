package io.vedetta.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateVariablesTest {

    private final TemplateVariables values = new TemplateVariables(Map.of("node", "node-a", "pod", ".*",
            "__rate_interval", "1m"));

    @Test
    void replacesEachOfGrafanasThreeSyntaxes() {
        assertEquals("rate(x{node=~\"node-a\", file=~\".*/.*_\"}[1m]) + y{n=\"node-a\"}",
                values.substitute("rate(x{node=~\"$node\", file=~\".*/${pod}_\"}[$__rate_interval]) + y{n=\"[[node]]\"}"));
    }

    @Test
    void leavesLabelReplaceBackReferencesAlone() {
        assertEquals("label_replace(x, \"ns\", \"$1\", \"file\", \"(.*)\")",
                values.substitute("label_replace(x, \"ns\", \"$1\", \"file\", \"(.*)\")"));
    }

    @Test
    void failsNamingAVariableWithoutValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> values.substitute("x{namespace=~\"$namespace\"}"));
        assertTrue(e.getMessage().contains("$namespace"), e.getMessage());
    }
}
