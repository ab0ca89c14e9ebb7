package io.vedetta.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    private static final String RUNBOOK = "https://github.com/vedetta/vedetta/blob/main/alert-rules/runbook.md#";
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @Test
    void promtoolChecksEveryRuleFileClean() {
        List<String> args = new ArrayList<>(List.of("promtool", "check", "rules"));
        RuleFiles.list(RuleFiles.RULES, ".yaml").forEach(p -> args.add(p.toString()));
        Tool result = Tool.run(RuleFiles.MODULE, args.toArray(String[]::new));

        assertEquals(0, result.exitCode(), result.output());
        assertFalse(result.output().contains("WARNING"), result.output());
    }

    @Test
    void promtoolUnitTestsPass() {
        List<String> args = new ArrayList<>(List.of("promtool", "test", "rules"));
        RuleFiles.list(RuleFiles.TESTS, "_test.yaml").forEach(p -> args.add(RuleFiles.TESTS.relativize(p).toString()));
        Tool result = Tool.run(RuleFiles.TESTS, args.toArray(String[]::new));

        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void theAlertsOnCallNeedAreAllThere() {
        Set<String> names = new HashSet<>();
        RuleFiles.alerts().forEach(a -> names.add(a.path("alert").asText()));

        for (String required : List.of("VedettaAgentDown", "VedettaKubeletScrapeFailing", "VedettaKubeWatchFailing",
                "VedettaKubeletUnreachable", "NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfSpace",
                "NodeMemoryHighUtilization", "NodeCPUHighUsage", "KubePodCrashLooping", "KubeContainerWaiting",
                "ContainerOOMKilled", "CPUThrottlingHigh", "ContainerMemoryNearLimit", "Watchdog",
                "VedettaLogDeliveryFailing", "VedettaLogBacklogGrowing", "VedettaLogsDeadLettered", "VedettaLogsPaused",
                "VedettaRemoteWriteBehind", "VedettaRemoteWriteRefused", "VedettaWalGrowing",
                "VedettaWalDroppingSamples",
                "KubeDeploymentReplicasMismatch", "KubeDeploymentRolloutStuck", "KubeStatefulSetReplicasMismatch",
                "KubeDaemonSetRolloutStuck", "KubeJobFailed", "KubeJobNotCompleted", "VedettaCronJobNotScheduled",
                "KubeNodeNotReady", "KubeNodeUnreachable", "VedettaPodNotScheduled",
                "VedettaClusterCollectorMissing")) {
            assertTrue(names.contains(required), required + " is missing");
        }
    }

    @Test
    void everyAlertHasForSeveritySummaryDescriptionAndRunbookFromOnePattern() {
        for (JsonNode alert : RuleFiles.alerts()) {
            String name = alert.path("alert").asText();
            if (!name.equals("Watchdog")) {
                assertTrue(alert.hasNonNull("for"), name + " has no `for`");
            }
            assertTrue(SEVERITIES.contains(alert.path("labels").path("severity").asText()), name + " severity");
            assertFalse(alert.path("annotations").path("summary").asText().isBlank(), name + " summary");
            assertFalse(alert.path("annotations").path("description").asText().isBlank(), name + " description");
            assertEquals(RUNBOOK + name.toLowerCase(Locale.ROOT), alert.path("annotations").path("runbook_url").asText(),
                    name + " runbook_url");
        }
    }

    @Test
    void runbookHasASectionForEveryAlert() throws IOException {
        String runbook = Files.readString(RuleFiles.MODULE.resolve("runbook.md"));
        for (JsonNode alert : RuleFiles.alerts()) {
            String name = alert.path("alert").asText();
            Matcher section = Pattern.compile("(?m)^## " + name + "\\n(.*?)(?=^## |\\z)", Pattern.DOTALL).matcher(runbook);
            assertTrue(section.find(), "runbook.md has no section `## " + name + "`");
            for (String part : List.of("**Meaning.**", "**Impact.**", "**Diagnose.**", "**Mitigate.**")) {
                assertTrue(section.group(1).contains(part), name + " section lacks " + part);
            }
        }
    }

    /** Each alert needs a unit test where it fires and one where it does not (Watchdog only fires). */
    @Test
    void everyAlertHasAFiringAndANonFiringUnitTest() {
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (Path file : RuleFiles.list(RuleFiles.TESTS, "_test.yaml")) {
            for (JsonNode test : RuleFiles.read(file).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    String name = check.path("alertname").asText();
                    (check.path("exp_alerts").isEmpty() ? silent : fires).add(name);
                }
            }
        }
        for (JsonNode alert : RuleFiles.alerts()) {
            String name = alert.path("alert").asText();
            assertTrue(fires.contains(name), name + " has no unit test where it fires");
            if (!name.equals("Watchdog")) {
                assertTrue(silent.contains(name), name + " has no unit test where it stays silent");
            }
        }
    }
}
