package io.vedetta.agent.cluster.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vedetta.agent.metrics.MetricName;
import java.util.Collection;
import java.util.List;

/**
 * One kind of object the leader watches cluster-wide: how to watch it, the few fields kept of each object (an
 * immutable state, made before the object is stored, so the full object is garbage at once), and the
 * kube-state-metrics series written from those states at scrape time.
 *
 * @param <T> the API type
 * @param <S> what is kept of one object
 */
interface Family<T extends HasMetadata, S> {

    /** The resource's plural name, as RBAC and the {@code resource} label of the collector's own series say it. */
    String resource();

    Class<T> type();

    /** A cluster-wide informer, not started, without resync. */
    SharedIndexInformer<T> informer(KubernetesClient client);

    S keep(T object);

    void write(Collection<S> states, SeriesWriter out);

    List<MetricName> series();
}
