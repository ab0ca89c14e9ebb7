package io.vedetta.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.Http;
import io.vedetta.testkit.WebhookReceiver.Notification;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules and routes, end to end: the simulated node makes a condition true, the agent exposes
 * it, real Prometheus evaluates the rules, real Alertmanager routes to the webhook on the expected
 * receiver, and the resolved notification follows when the condition clears.
 */
class AlertsEndToEndTest {

    private final E2eEnvironment env = E2eEnvironment.get();

    private boolean arrives(Predicate<Notification> wanted) {
        return Http.await(Duration.ofSeconds(60), () -> env.webhook.received().stream().anyMatch(wanted));
    }

    private String received() {
        return String.join("\n", env.webhook.received().stream().map(Notification::summary).toList());
    }

    @Test
    void aWaitingContainerPagesTheChatRouteAndResolvesWhenItRuns() {
        env.node.addRunningPod("shop", "api-5b7f", "api", "api");
        env.node.waitFor("shop", "api-5b7f", "ImagePullBackOff");

        assertTrue(arrives(n -> n.path().equals("/chat") && n.status().equals("firing") && n.concerns("KubeContainerWaiting")),
                "KubeContainerWaiting never reached the chat receiver; received:\n" + received());

        env.node.run("shop", "api-5b7f");

        assertTrue(arrives(n -> n.path().equals("/chat") && n.status().equals("resolved") && n.concerns("KubeContainerWaiting")),
                "the resolved notification never came; received:\n" + received());
        assertTrue(env.webhook.received().stream().noneMatch(n -> n.path().equals("/paging") && n.concerns("KubeContainerWaiting")),
                "a warning must not page");
    }

    @Test
    void anUnreachableKubeletPagesAndResolvesWhenItIsBack() {
        env.kubelet.stop();
        try {
            assertTrue(arrives(n -> n.path().equals("/paging") && n.status().equals("firing") && n.concerns("VedettaKubeletUnreachable")),
                    "VedettaKubeletUnreachable never reached the paging receiver; received:\n" + received());
        } finally {
            env.kubelet.start();
        }

        assertTrue(arrives(n -> n.path().equals("/paging") && n.status().equals("resolved") && n.concerns("VedettaKubeletUnreachable")),
                "the resolved page never came; received:\n" + received());
    }

    /**
     * The shipped inhibition: while a critical alert fires, the warning of the same alert name and namespace is
     * not sent. Posted straight to Alertmanager's API, since no shipped rule has both severities.
     */
    @Test
    void aCriticalAlertInhibitsTheWarningOfTheSameNameAndNamespace() throws Exception {
        String alerts = """
                [{"labels": {"alertname": "InhibitionProbe", "severity": "critical", "namespace": "shop"}},
                 {"labels": {"alertname": "InhibitionProbe", "severity": "warning", "namespace": "shop"}},
                 {"labels": {"alertname": "InhibitionProbe", "severity": "warning", "namespace": "billing"}}]
                """;
        java.net.http.HttpResponse<String> posted = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(env.alertmanager.url() + "/api/v2/alerts"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(alerts)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(posted.statusCode() == 200, posted.body());

        assertTrue(arrives(n -> n.path().equals("/paging") && n.concerns("InhibitionProbe")),
                "the critical probe never paged; received:\n" + received());
        assertTrue(arrives(n -> n.path().equals("/chat") && n.concerns("InhibitionProbe")
                        && n.body().path("alerts").get(0).path("labels").path("namespace").asText().equals("billing")),
                "the warning of another namespace must still reach chat; received:\n" + received());
        assertTrue(env.webhook.received().stream().noneMatch(n -> n.path().equals("/chat") && n.concerns("InhibitionProbe")
                        && n.body().path("alerts").get(0).path("labels").path("namespace").asText().equals("shop")),
                "the warning of the same name and namespace is inhibited; received:\n" + received());
    }

    @Test
    void watchdogReachesTheHeartbeatReceiver() {
        assertTrue(arrives(n -> n.path().equals("/heartbeat") && n.concerns("Watchdog")),
                "Watchdog never reached the heartbeat receiver; received:\n" + received());
    }
}
