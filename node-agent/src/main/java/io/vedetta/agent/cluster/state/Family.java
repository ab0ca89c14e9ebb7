package io.vedetta.agent.cluster.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vedetta.agent.metrics.MetricName;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of object the leader watches cluster-wide: how to watch it, the few fields kept of each object (an
 * immutable state, made before the object is stored, so the full object is garbage at once), and the
 * kube-state-metrics series written from those states at scrape time.
 *
 * @param <T> the API type
 * @param <S> what is kept of one object
 */
abstract class Family<T extends HasMetadata, S> {

    private final String resource;
    private final Class<T> type;
    private final Function<KubernetesClient, SharedIndexInformer<T>> informers;
    private final List<MetricName> series;

    /**
     * @param resource  the resource's plural name, as RBAC and the {@code resource} label of the collector's own
     *                  series say it
     * @param informers a cluster-wide informer, not started, without resync
     * @param series    every family this one writes, each declared in every scrape
     */
    Family(String resource, Class<T> type, Function<KubernetesClient, SharedIndexInformer<T>> informers,
            MetricName... series) {
        this.resource = resource;
        this.type = type;
        this.informers = informers;
        this.series = List.of(series);
    }

    final String resource() {
        return resource;
    }

    final Class<T> type() {
        return type;
    }

    final SharedIndexInformer<T> informer(KubernetesClient client) {
        return informers.apply(client);
    }

    final List<MetricName> series() {
        return series;
    }

    final void write(Collection<S> states, SeriesWriter out) {
        series.forEach(out::declare);
        for (S state : states) {
            write(state, out);
        }
    }

    abstract S keep(T object);

    /** The series of one object. */
    abstract void write(S state, SeriesWriter out);
}
