package io.vedetta.agent.cluster.election;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's Lease lock for one run of its elector, with three additions. It reports each successful write of this
 * agent's own holding (with the time taken before the request, so a renewal is never dated later than the lease's
 * renew time), for the leader's own renew-deadline watchdog. It carries the events' checkpoint in an annotation of
 * the Lease, so the next leader resumes where this one's deliveries were acknowledged, whichever node it runs on;
 * a JSON merge patch without the annotation leaves it as it was. It reads a Lease whose spec is empty (as the
 * chart creates it, so agents need no right to create Leases) as held by nobody. And it can be retired: once the
 * run that owns it has stepped down, every call fails at once, so a request that was hanging when the run ended
 * can never release or renew on behalf of a later run of the same agent.
 */
final class ElectionLock extends LeaseLock {

    static final String CHECKPOINT_ANNOTATION = "vedetta.io/events-resource-version";
    private static final Logger LOG = LoggerFactory.getLogger(ElectionLock.class);
    private static final ZonedDateTime NEVER = ZonedDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);
    private static final AtomicBoolean CREATE_REFUSAL_LOGGED = new AtomicBoolean();

    private final String identity;
    private final String describe;
    private final int leaseSeconds;
    private final Supplier<Optional<String>> checkpoint;
    private final LongConsumer renewed;
    private final Runnable failed;
    private final Consumer<LeaderElectionRecord> observed;
    private volatile boolean retired;
    private volatile Optional<String> observedCheckpoint = Optional.empty();

    /**
     * @param checkpoint what to write into the annotation on this agent's own writes (empty: leave it)
     * @param renewed    called with {@link System#nanoTime()} from before each successful write naming this agent
     * @param failed     called for each lease request that failed
     * @param observed   called with the record of each Lease read
     */
    ElectionLock(String namespace, String name, String identity, Duration leaseDuration,
            Supplier<Optional<String>> checkpoint, LongConsumer renewed, Runnable failed,
            Consumer<LeaderElectionRecord> observed) {
        super(namespace, name, identity);
        this.identity = identity;
        this.describe = namespace + "/" + name;
        this.leaseSeconds = Math.toIntExact(leaseDuration.toSeconds());
        this.checkpoint = checkpoint;
        this.renewed = renewed;
        this.failed = failed;
        this.observed = observed;
    }

    void retire() {
        retired = true;
    }

    /** The checkpoint the Lease carried when it was last read. */
    Optional<String> observedCheckpoint() {
        return observedCheckpoint;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
        checkLive();
        try {
            return super.get(client);
        } catch (KubernetesClientException e) {
            failed.run();
            throw e;
        }
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
        try {
            write(record, () -> super.create(client, record));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 && CREATE_REFUSAL_LOGGED.compareAndSet(false, true)) {
                LOG.error("the Lease {} does not exist and this agent may not create it (403); no agent can lead"
                        + " until it exists: `helm upgrade` makes it again (the chart creates it so agents need no"
                        + " create right), or grant create on leases in this namespace", describe);
            }
            throw e;
        }
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
        write(record, () -> super.update(client, record));
    }

    private void write(LeaderElectionRecord record, Runnable request) {
        checkLive();
        long before = System.nanoTime();
        try {
            request.run();
        } catch (KubernetesClientException e) {
            failed.run();
            throw e;
        }
        if (Objects.equals(identity, record.getHolderIdentity())) {
            renewed.accept(before);
        }
    }

    @Override
    protected Lease toResource(LeaderElectionRecord record, ObjectMetaBuilder meta) {
        checkpoint.get().ifPresent(rv -> meta.addToAnnotations(CHECKPOINT_ANNOTATION, rv));
        return super.toResource(record, meta);
    }

    @Override
    protected LeaderElectionRecord toRecord(Lease lease) {
        Map<String, String> annotations = lease.getMetadata() == null ? null : lease.getMetadata().getAnnotations();
        observedCheckpoint = Optional.ofNullable(annotations).map(a -> a.get(CHECKPOINT_ANNOTATION))
                .filter(rv -> !rv.isBlank());
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        lease.setSpec(spec);
        if (spec.getLeaseDurationSeconds() == null) {
            spec.setLeaseDurationSeconds(leaseSeconds);
        }
        if (spec.getAcquireTime() == null) {
            spec.setAcquireTime(NEVER);
        }
        if (spec.getRenewTime() == null) {
            spec.setRenewTime(NEVER);
        }
        LeaderElectionRecord record = super.toRecord(lease);
        observed.accept(record);
        return record;
    }

    private void checkLive() {
        if (retired) {
            throw new KubernetesClientException("this run of the leader election has ended");
        }
    }
}
