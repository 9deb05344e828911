package io.pxcprobe.check;

import io.pxcprobe.agent.Agent;
import io.pxcprobe.agent.AgentOptions;
import io.pxcprobe.backup.BackupPaths;
import io.pxcprobe.backup.BackupVerdict;
import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.CanaryConfig;
import io.pxcprobe.config.HttpConfig;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.state.LatestResults;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pxc-probe check}: runs, once and from where it runs, every check of one cluster's backup
 * paths with the agent's own discovery, plan and probers (an agent whose HTTP listens on loopback
 * only), waits until each has a result, and judges them as the agent's verdict does.
 */
public final class BackupCheck {
    /** Discovery's first sync and every check's first result, at the most. */
    static final Duration MAX_WAIT = Duration.ofSeconds(120);

    private static final long POLL_MILLIS = 100;

    private BackupCheck() {}

    /** What one run found: the plan it ran, each check's result, and the verdict. */
    public record Outcome(
            String namespace,
            String cluster,
            ProbePlan plan,
            LatestResults latest,
            BackupVerdict verdict,
            List<String> problems) {}

    public static Outcome run(AgentConfig config, AgentOptions options, String namespace, String cluster)
            throws InterruptedException {
        HttpConfig loopback = new HttpConfig(
                "127.0.0.1",
                0,
                config.http().probeRatePerSecond(),
                config.http().probeBurst(),
                config.http().probeCidrs());
        AgentConfig quiet = config.withHttp(loopback).withCanary(CanaryConfig.off());
        try (Agent agent = Agent.start(quiet, options.withHttpPort(0))) {
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            List<String> problems = agent.readinessProblems();
            while (!problems.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                problems = agent.readinessProblems();
            }
            while (System.nanoTime() < deadline && pending(agent.latest(), namespace, cluster) > 0) {
                Thread.sleep(POLL_MILLIS);
            }
            LatestResults latest = agent.latest();
            ProbePlan plan = latest.plan();
            BackupVerdict verdict = BackupPaths.of(plan, latest).stream()
                    .filter(v -> v.namespace().equals(namespace) && v.cluster().equals(cluster))
                    .findFirst()
                    .orElse(null);
            return new Outcome(namespace, cluster, plan, latest, verdict, problems);
        }
    }

    /**
     * The cluster's checks still without a result, those that only inform (IST, SST, the unready
     * service) included, since the report prints them too; -1 while the plan knows no member of it.
     */
    static int pending(LatestResults latest, String namespace, String cluster) {
        ProbePlan plan = latest.plan();
        if (plan.snapshot().members().stream()
                .noneMatch(m -> m.namespace().equals(namespace) && m.cluster().equals(cluster))) {
            return -1;
        }
        int n = 0;
        for (Check c : plan.allChecks()) {
            if (!CheckLines.belongsTo(c, namespace, cluster)) {
                continue;
            }
            Optional<Result> r = latest.latest(c, Result.class);
            n += r.isEmpty() ? 1 : 0;
        }
        return n;
    }

    /** The plan's checks of one cluster that a backup depends on. */
    static List<Check> ofCluster(ProbePlan plan, String namespace, String cluster) {
        return plan.allChecks().stream()
                .filter(c -> BackupPaths.requirementOf(c) != null)
                .filter(c -> CheckLines.belongsTo(c, namespace, cluster))
                .toList();
    }
}
