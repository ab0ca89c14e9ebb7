package io.vedetta.e2e;

import io.vedetta.kubeprometheus.MixinRules;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import io.vedetta.testkit.AlertmanagerProcess;
import io.vedetta.testkit.ContainerLogs;
import io.vedetta.testkit.ElasticsearchProcess;
import io.vedetta.testkit.PrometheusProcess;
import io.vedetta.testkit.SimulatedCluster;
import io.vedetta.testkit.SimulatedKubelet;
import io.vedetta.testkit.SimulatedNode;
import io.vedetta.testkit.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real servers of the end-to-end tests, started once per test run and shared by every test class:
 * a simulated node (mock API with a few pods and the workloads, nodes and events of a small cluster, a kubelet
 * serving recorded responses), the packaged agent, the cluster collector as the only agent,
 * pointed at it and shipping its container logs to a real Elasticsearch node of its own, a real Prometheus
 * scraping the agent every second as the chart's ServiceMonitor would and evaluating the shipped alert rules (and,
 * never to page, kube-prometheus' mixin rules with Vedetta's selectors), and a real Alertmanager routing
 * with the shipped example to a local webhook. Stopped by a shutdown hook when the test JVM exits.
 */
final class E2eEnvironment {

    static final String NODE = "e2e-node";
    private static E2eEnvironment instance;

    final SimulatedNode node;
    final AgentProcess agent;
    final PrometheusProcess prometheus;
    final WebhookReceiver webhook;
    final AlertmanagerProcess alertmanager;
    final Path logs;
    final SimulatedKubelet kubelet;
    final ContainerLogs containerLogs;
    final ElasticsearchProcess elasticsearch;

    private E2eEnvironment(Path dir) throws IOException {
        node = new SimulatedNode(NODE);
        node.addRunningPod("shop", "web-7f9c", "web", "nginx", "php-fpm");
        node.addRunningPod("shop", "payments-6c4d", "payments", "worker");
        node.addRunningPod("kube-system", "coredns-5d78", "coredns", "coredns");
        // The agent's own pod, which kubernetes-mixin's node rules join node_* to (as the chart's ServiceMonitor labels them).
        node.addRunningPod(AlertingSetup.AGENT_NAMESPACE, AlertingSetup.agentPod(NODE), "vedetta", "agent");
        node.ownedBy(AlertingSetup.AGENT_NAMESPACE, AlertingSetup.agentPod(NODE), "DaemonSet", "vedetta");
        // Two pods the recorded kubelet reports, so that its cAdvisor series join kube_pod_info as in a cluster.
        node.addRunningPod("default", "dd-agent-q6hpw", "dd-agent", "dd-agent");
        node.addRunningPod("kube-system", "kube-proxy-gke-haissam-default-pool-be5066f1-wnvn", "kube-proxy", "kube-proxy");
        // The rest of the cluster, for the cluster collector this agent becomes (it is the only one).
        new SimulatedCluster(node.client()).typical(NODE);
        logs = dir.resolve("logs");
        kubelet = new SimulatedKubelet();
        containerLogs = new ContainerLogs(logs);
        elasticsearch = ElasticsearchProcess.start();
        agent = AgentProcess.start(dir.resolve("agent"), """
                kubernetes:
                  apiServer: %1$s
                metrics:
                  kubelet:
                    url: %3$s
                    caFile: ""
                    tokenFile: ""
                    sources: {cadvisor: true, kubelet: true, resource: true, summary: false}
                logs:
                  enabled: true
                  paths: ["%2$s/containers/*.log"]
                  allowedRoots: ["%2$s"]
                  stateDir: %2$s/state
                  podWait: 10s
                  batch: {linger: 100ms}
                elasticsearch:
                  urls: ["%4$s"]
                cluster:
                  enabled: true
                logging:
                  format: json
                """.formatted(node.apiServerUrl(), logs, kubelet.url(), elasticsearch.url()),
                Map.of("NODE_NAME", NODE, "POD_NAME", AlertingSetup.agentPod(NODE), "POD_NAMESPACE",
                        AlertingSetup.AGENT_NAMESPACE));
        webhook = new WebhookReceiver(n -> { });
        alertmanager = AlertmanagerProcess.start(dir.resolve("alertmanager"), AlertingSetup.alertmanagerConfig(webhook.url()));
        List<Path> rules = new ArrayList<>(AlertingSetup.fastRules(dir.resolve("rules")));
        rules.addAll(MixinRules.writeForVedetta(dir.resolve("mixin-rules")));
        prometheus = PrometheusProcess.start(dir.resolve("prometheus"), AlertingSetup.prometheusConfig(agent.port(), NODE,
                rules, alertmanager.url()), List.of("--rules.alert.resend-delay=1s"));
    }

    static synchronized E2eEnvironment get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("vedetta-e2e");
                instance = new E2eEnvironment(dir);
                E2eEnvironment started = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-teardown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void close() {
        prometheus.close();
        alertmanager.close();
        webhook.close();
        agent.close();
        elasticsearch.close();
        kubelet.close();
        node.close();
    }
}
