package io.vedetta.agent.cluster.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.lang.reflect.InvocationTargetException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The informer's store, keeping a small state per object instead of the object: a ReplicaSet with its pod template
 * is kilobytes, what the series need of it tens of bytes, and a cluster can have hundreds of thousands (peers'
 * users report gigabytes from full ReplicaSet informers). fabric8 asks the store for objects back only to key them
 * and to hand them to event handlers, of which there are none; it gets a stand-in carrying the name and namespace.
 * The states are read by the collector at scrape time, lock-free.
 */
final class TransformingStore<T extends HasMetadata, S> implements ItemStore<T> {

    private final Class<T> type;
    private final Function<T, S> keep;
    private final Map<String, S> states = new ConcurrentHashMap<>();

    TransformingStore(Class<T> type, Function<T, S> keep) {
        this.type = type;
        this.keep = keep;
    }

    Collection<S> states() {
        return Collections.unmodifiableCollection(states.values());
    }

    @Override
    public int size() {
        return states.size();
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        return standIn(key, states.put(key, keep.apply(object)));
    }

    @Override
    public T remove(String key) {
        return standIn(key, states.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return states.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return states.keySet().stream().map(key -> standIn(key, Boolean.TRUE));
    }

    @Override
    public T get(String key) {
        return standIn(key, states.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /** An object of the API type with only the name and namespace of {@code key}; null when nothing was kept. */
    private T standIn(String key, Object kept) {
        if (kept == null) {
            return null;
        }
        int slash = key.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
        meta.setName(key.substring(slash + 1));
        try {
            T object = type.getDeclaredConstructor().newInstance();
            object.setMetadata(meta);
            return object;
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException
                | InvocationTargetException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName() + " for " + key, e);
        }
    }
}
