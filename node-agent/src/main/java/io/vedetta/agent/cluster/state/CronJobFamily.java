package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kube_cronjob_*}, with the next schedule time computed as kube-state-metrics does: the schedule's first run
 * after the last one (or after the CronJob's creation), in the CronJob's time zone. A suspended CronJob has no next
 * schedule time; a schedule that does not parse has none either and is logged.
 */
final class CronJobFamily extends Family<CronJob, CronJobFamily.State> {

    private static final Logger LOG = LoggerFactory.getLogger(CronJobFamily.class);

    /** @param startingDeadline, successfulHistory, failedHistory -1 when unset */
    record State(String namespace, String name, String schedule, String concurrencyPolicy, String timeZone,
            double created, int active, double lastSchedule, double lastSuccess, boolean suspend,
            long startingDeadline, double nextSchedule, double resourceVersion, int successfulHistory,
            int failedHistory) {
    }

    CronJobFamily() {
        super("cronjobs", CronJob.class, client -> client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0),
                CRONJOB_INFO, CRONJOB_CREATED, CRONJOB_ACTIVE, CRONJOB_LAST_SCHEDULE, CRONJOB_LAST_SUCCESS,
                CRONJOB_SUSPEND, CRONJOB_STARTING_DEADLINE, CRONJOB_NEXT_SCHEDULE, CRONJOB_RESOURCE_VERSION,
                CRONJOB_SUCCESSFUL_HISTORY, CRONJOB_FAILED_HISTORY);
    }

    @Override
    State keep(CronJob c) {
        CronJobSpec spec = Optional.ofNullable(c.getSpec()).orElseGet(CronJobSpec::new);
        CronJobStatus status = Optional.ofNullable(c.getStatus()).orElseGet(CronJobStatus::new);
        double created = ObjectValues.seconds(c.getMetadata().getCreationTimestamp());
        double lastSchedule = ObjectValues.seconds(status.getLastScheduleTime());
        String schedule = ObjectValues.text(spec.getSchedule());
        return new State(ObjectValues.namespace(c.getMetadata()), ObjectValues.name(c.getMetadata()), schedule,
                ObjectValues.intern(spec.getConcurrencyPolicy()), ObjectValues.intern(spec.getTimeZone()), created,
                status.getActive() == null ? 0 : status.getActive().size(), lastSchedule,
                ObjectValues.seconds(status.getLastSuccessfulTime()), ObjectValues.flag(spec.getSuspend()),
                spec.getStartingDeadlineSeconds() == null ? -1 : spec.getStartingDeadlineSeconds(),
                next(c, schedule, spec.getTimeZone(), ObjectValues.has(lastSchedule) ? lastSchedule : created),
                resourceVersion(c.getMetadata().getResourceVersion()),
                spec.getSuccessfulJobsHistoryLimit() == null ? -1 : spec.getSuccessfulJobsHistoryLimit(),
                spec.getFailedJobsHistoryLimit() == null ? -1 : spec.getFailedJobsHistoryLimit());
    }

    private static double next(CronJob c, String schedule, String timeZone, double from) {
        if (!ObjectValues.has(from)) {
            return ObjectValues.NO_TIME;
        }
        try {
            ZoneId zone = timeZone == null || timeZone.isEmpty() ? ZoneOffset.UTC : ZoneId.of(timeZone);
            ZonedDateTime after = Instant.ofEpochSecond((long) from).atZone(zone);
            ZonedDateTime next = CronSchedule.parse(schedule, zone).next(after);
            return next == null ? ObjectValues.NO_TIME : next.toEpochSecond();
        } catch (IllegalArgumentException | DateTimeException e) {
            LOG.warn("CronJob {}/{}: schedule \"{}\" ({}) cannot be read, so it has no next schedule time: {}",
                    c.getMetadata().getNamespace(), c.getMetadata().getName(), schedule, timeZone, e.getMessage());
            return ObjectValues.NO_TIME;
        }
    }

    /** The resource version as a number, as kube-state-metrics exposes it (etcd's revisions are numbers). */
    private static double resourceVersion(String version) {
        try {
            return version == null ? ObjectValues.NO_TIME : Double.parseDouble(version);
        } catch (NumberFormatException e) {
            return ObjectValues.NO_TIME;
        }
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.gauge(CRONJOB_INFO, 1, ns, n, s.schedule(), s.concurrencyPolicy(), s.timeZone());
        out.time(CRONJOB_CREATED, s.created(), ns, n);
        out.gauge(CRONJOB_ACTIVE, s.active(), ns, n);
        out.time(CRONJOB_LAST_SCHEDULE, s.lastSchedule(), ns, n);
        out.time(CRONJOB_LAST_SUCCESS, s.lastSuccess(), ns, n);
        out.gauge(CRONJOB_SUSPEND, s.suspend() ? 1 : 0, ns, n);
        if (s.startingDeadline() >= 0) {
            out.gauge(CRONJOB_STARTING_DEADLINE, s.startingDeadline(), ns, n);
        }
        if (!s.suspend() && ObjectValues.has(s.nextSchedule())) {
            out.gauge(CRONJOB_NEXT_SCHEDULE, s.nextSchedule(), ns, n);
        }
        out.time(CRONJOB_RESOURCE_VERSION, s.resourceVersion(), ns, n);
        if (s.successfulHistory() >= 0) {
            out.gauge(CRONJOB_SUCCESSFUL_HISTORY, s.successfulHistory(), ns, n);
        }
        if (s.failedHistory() >= 0) {
            out.gauge(CRONJOB_FAILED_HISTORY, s.failedHistory(), ns, n);
        }
    }
}
