package io.vedetta.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AlertmanagerRoutingTest {

    @Test
    void amtoolChecksTheRoutingExampleClean() {
        Tool result = Tool.run(RuleFiles.MODULE, "amtool", "check-config", "alertmanager.yml");

        assertEquals(0, result.exitCode(), result.output());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "severity=critical alertname=VedettaKubeletUnreachable namespace=kube-system,      paging",
            "severity=critical alertname=VedettaAgentDown,                       paging",
            "severity=warning alertname=KubePodCrashLooping namespace=shop,      chat",
            "severity=info alertname=CPUThrottlingHigh namespace=shop,           null",
            "severity=info alertname=Watchdog,                                   heartbeat",
            "alertname=SomethingWithoutSeverity,                                 chat",
    })
    void routesEachSeverityToItsReceiver(String labels, String receiver) {
        String[] args = ("amtool config routes test --config.file=alertmanager.yml --verify.receivers=" + receiver
                + " " + labels).split(" ");
        Tool result = Tool.run(RuleFiles.MODULE, args);

        assertEquals(0, result.exitCode(), labels + " should reach " + receiver + ": " + result.output());
    }

    @Test
    void aWrongExpectationFailsSoTheRouteChecksCanFail() {
        Tool result = Tool.run(RuleFiles.MODULE, "amtool", "config", "routes", "test", "--config.file=alertmanager.yml",
                "--verify.receivers=paging", "severity=warning", "alertname=KubePodCrashLooping");

        assertEquals(1, result.exitCode(), result.output());
    }
}
