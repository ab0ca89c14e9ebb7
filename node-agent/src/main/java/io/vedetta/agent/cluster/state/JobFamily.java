package io.vedetta.agent.cluster.state;

import static io.vedetta.agent.cluster.state.ClusterSeries.*;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.vedetta.agent.cluster.state.ObjectValues.Condition;
import io.vedetta.agent.cluster.state.ObjectValues.Owner;
import java.util.List;
import java.util.Optional;

/**
 * {@code kube_job_*}: what KubeJobFailed and KubeJobNotCompleted read. CronJobs leave many finished Jobs behind, so
 * only counts, times, conditions and owners are kept.
 */
final class JobFamily extends Family<Job, JobFamily.State> {

    /** The failure reasons kube-state-metrics names in {@code kube_job_status_failed}; others are {@code ""}. */
    private static final List<String> FAILURE_REASONS = List.of("BackoffLimitExceeded", "DeadlineExceeded", "Evicted");

    /** @param parallelism, completions, activeDeadline -1 when unset */
    record State(String namespace, String name, double created, List<Owner> owners, long parallelism,
            long completions, long activeDeadline, int active, int succeeded, int failed, double startTime,
            double completionTime, List<Condition> conditions) {
    }

    JobFamily() {
        super("jobs", Job.class, client -> client.batch().v1().jobs().inAnyNamespace().runnableInformer(0),
                JOB_INFO, JOB_CREATED, JOB_OWNER, JOB_PARALLELISM, JOB_COMPLETIONS, JOB_ACTIVE_DEADLINE, JOB_ACTIVE,
                JOB_SUCCEEDED, JOB_FAILED_PODS, JOB_START_TIME, JOB_COMPLETION_TIME, JOB_COMPLETE, JOB_FAILED);
    }

    @Override
    State keep(Job j) {
        JobSpec spec = Optional.ofNullable(j.getSpec()).orElseGet(JobSpec::new);
        JobStatus status = Optional.ofNullable(j.getStatus()).orElseGet(JobStatus::new);
        return new State(ObjectValues.namespace(j.getMetadata()), ObjectValues.name(j.getMetadata()),
                ObjectValues.seconds(j.getMetadata().getCreationTimestamp()),
                ObjectValues.owners(j.getMetadata().getOwnerReferences()),
                spec.getParallelism() == null ? -1 : spec.getParallelism(),
                spec.getCompletions() == null ? -1 : spec.getCompletions(),
                spec.getActiveDeadlineSeconds() == null ? -1 : spec.getActiveDeadlineSeconds(),
                ObjectValues.count(status.getActive()), ObjectValues.count(status.getSucceeded()),
                ObjectValues.count(status.getFailed()), ObjectValues.seconds(status.getStartTime()),
                ObjectValues.seconds(status.getCompletionTime()),
                status.getConditions() == null ? List.of() : status.getConditions().stream()
                        .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        .map(c -> Condition.of(c.getType(), c.getStatus(), c.getReason())).toList());
    }

    @Override
    void write(State s, SeriesWriter out) {
        String ns = s.namespace();
        String n = s.name();
        out.gauge(JOB_INFO, 1, ns, n);
        out.time(JOB_CREATED, s.created(), ns, n);
        for (Owner o : s.owners()) {
            out.gauge(JOB_OWNER, 1, ns, n, o.kind(), o.name(), o.isController());
        }
        if (s.parallelism() >= 0) {
            out.gauge(JOB_PARALLELISM, s.parallelism(), ns, n);
        }
        if (s.completions() >= 0) {
            out.gauge(JOB_COMPLETIONS, s.completions(), ns, n);
        }
        if (s.activeDeadline() >= 0) {
            out.gauge(JOB_ACTIVE_DEADLINE, s.activeDeadline(), ns, n);
        }
        out.gauge(JOB_ACTIVE, s.active(), ns, n);
        out.gauge(JOB_SUCCEEDED, s.succeeded(), ns, n);
        failed(s, out);
        out.time(JOB_START_TIME, s.startTime(), ns, n);
        out.time(JOB_COMPLETION_TIME, s.completionTime(), ns, n);
        for (Condition c : s.conditions()) {
            out.condition(c.type().equals("Complete") ? JOB_COMPLETE : JOB_FAILED, c.status(), ns, n);
        }
    }

    /**
     * kube-state-metrics' {@code kube_job_status_failed}: 0 without a reason while no pod failed; once the Job has
     * failed, one point per known failure reason (1 for the Failed condition's) or the failed pod count under an
     * empty reason when that reason is another; nothing while pods failed but the Job has not.
     */
    private static void failed(State s, SeriesWriter out) {
        if (s.failed() == 0) {
            out.gauge(JOB_FAILED_PODS, 0, s.namespace(), s.name(), "");
            return;
        }
        for (Condition c : s.conditions()) {
            if (!c.type().equals("Failed")) {
                continue;
            }
            boolean known = FAILURE_REASONS.contains(c.reason());
            for (String reason : FAILURE_REASONS) {
                out.gauge(JOB_FAILED_PODS, reason.equals(c.reason()) ? 1 : 0, s.namespace(), s.name(), reason);
            }
            if (!known) {
                out.gauge(JOB_FAILED_PODS, s.failed(), s.namespace(), s.name(), "");
            }
        }
    }
}
