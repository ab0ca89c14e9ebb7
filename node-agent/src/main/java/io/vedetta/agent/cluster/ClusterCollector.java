package io.vedetta.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vedetta.agent.lifecycle.Part;
import io.vedetta.agent.cluster.election.LeaderElection;
import io.vedetta.agent.cluster.events.EventsSource;
import io.vedetta.agent.cluster.state.ClusterState;
import io.vedetta.agent.config.ClusterConfig;
import io.vedetta.agent.config.KubernetesConfig;
import io.vedetta.agent.kube.KubeClients;
import io.vedetta.agent.kube.PodDiscovery;
import io.vedetta.agent.kube.PodState;
import io.vedetta.agent.kube.WatchErrors;
import io.vedetta.agent.metrics.Registries;
import io.vedetta.logs.record.Sink;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The cluster collector as a part of the agent: every agent competes for the Lease; the one that holds it watches
 * the cluster's workloads, nodes, namespaces, claims and pods of no node, exposes their kube-state-metrics series,
 * and ships the cluster's Kubernetes events through the log sink. A follower makes no cluster-wide request: the
 * Lease is all it reads.
 */
public final class ClusterCollector implements Part, LeaderElection.Listener {

    private final ClusterConfig config;
    private final KubernetesClient client;
    private final KubernetesClient electionClient;
    private final ScheduledExecutorService executor;
    private final Optional<ClusterState> state;
    private final Optional<EventsSource> events;
    private final LeaderElection election;

    /**
     * @param sink      the log sink the events go to (its part starts before leadership can), null without events
     * @param userAgent how this agent names itself to the API server
     */
    public ClusterCollector(KubernetesConfig kubernetes, ClusterConfig config, Registries registries, Sink sink,
            String userAgent) {
        this.config = config;
        this.client = KubeClients.reconfigured(PodDiscovery.createClient(kubernetes), b -> b.withUserAgent(userAgent));
        // A renewal must not hang past the renew deadline; the watchdog stops leading anyway, but a timely failure
        // lets fabric8's loop try again within the deadline.
        int leaseTimeout = Math.toIntExact(Math.max(500, config.renewDeadline().toMillis() / 2));
        this.electionClient = KubeClients.reconfigured(PodDiscovery.createClient(kubernetes), b -> b
                .withUserAgent(userAgent).withRequestTimeout(leaseTimeout).withConnectionTimeout(leaseTimeout));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vedetta-cluster-watches");
            t.setDaemon(true);
            return t;
        });
        WatchErrors errors = new WatchErrors(registries.micrometer());
        if (config.metrics()) {
            ClusterState clusterState = new ClusterState(client, kubernetes, executor, errors);
            this.state = Optional.of(clusterState);
        } else {
            this.state = Optional.empty();
        }
        this.events = config.events().enabled()
                ? Optional.of(new EventsSource(client, java.util.Objects.requireNonNull(sink, "events need a sink"),
                        config.stateDir(), registries.micrometer(),
                        errors, kubernetes.retryInitial(), kubernetes.retryMax()))
                : Optional.empty();
        this.election = new LeaderElection(electionClient, config,
                () -> events.flatMap(EventsSource::checkpoint), this, registries.micrometer());
        state.ifPresent(s -> registries.prometheus().register(s.collector(election::leading)));
    }

    @Override
    public String name() {
        return "cluster-collector";
    }

    @Override
    public void start() {
        election.start();
    }

    /** True while this agent is the cluster collector. */
    public boolean leading() {
        return election.leading();
    }

    /** The pods of no node while leading, for the pod-state series; empty otherwise. */
    public Collection<PodState> unscheduledPods() {
        if (!election.leading()) {
            return List.of();
        }
        return state.map(ClusterState::unscheduledPods).orElse(List.of());
    }

    @Override
    public void startLeading(Optional<String> checkpoint) {
        state.ifPresent(ClusterState::startWatching);
        events.ifPresent(e -> e.start(checkpoint));
    }

    @Override
    public void stopLeading(String reason) {
        state.ifPresent(ClusterState::stopWatching);
        events.ifPresent(e -> e.stop(config.renewDeadline()));
    }

    @Override
    public void stop(Duration grace) {
        election.stop(grace);
        events.ifPresent(EventsSource::close);
        executor.shutdownNow();
        client.close();
        electionClient.close();
    }
}
