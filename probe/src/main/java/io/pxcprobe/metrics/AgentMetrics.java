package io.pxcprobe.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import io.pxcprobe.discovery.DiscoverySource;
import io.pxcprobe.discovery.DiscoveryStatus;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.schedule.SchedulerObserver;
import io.pxcprobe.target.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The agent's own health: build, discovery, configuration, scheduler, and what it probes. */
public final class AgentMetrics implements SchedulerObserver, ResultListener {
    private final Gauge targets;
    private final Gauge checks;
    private final List<String> checkKinds;
    private final Gauge checksLimit;
    private final Gauge checksLeftOut;
    private final Gauge checksSampledOut;
    private final Gauge clusterState;
    private final Gauge agents;
    private final Gauge tcpInterval;
    private final Counter configReloads;
    private final Gauge configLastReloadOk;
    private final Histogram lateness;
    private final Counter skipped;
    private final Object planSeriesLock = new Object();

    /** @param checkKinds the {@code kind} values of {@code pxc_probe_checks}: each is exported, 0 when the plan has none */
    public AgentMetrics(
            PrometheusRegistry registry,
            Labels constLabels,
            Map<String, String> buildInfo,
            List<String> checkKinds,
            Supplier<List<DiscoverySource>> sources,
            IntSupplier inFlight) {
        this.checkKinds = List.copyOf(checkKinds);
        Info info = Info.builder()
                .name("pxc_probe_build_info")
                .help("Build and runtime of this agent.")
                .constLabels(constLabels)
                .labelNames(buildInfo.keySet().toArray(String[]::new))
                .register(registry);
        info.setLabelValues(buildInfo.values().toArray(String[]::new));
        targets = Gauge.builder()
                .name("pxc_probe_targets")
                .help("PXC members known per cluster.")
                .constLabels(constLabels)
                .labelNames("namespace", "cluster")
                .register(registry);
        checks = Gauge.builder()
                .name("pxc_probe_checks")
                .help("Checks scheduled.")
                .constLabels(constLabels)
                .labelNames("kind")
                .register(registry);
        checksLimit = Gauge.builder()
                .name("pxc_probe_checks_limit")
                .help("Checks this agent runs at most (scheduler.maxChecks, by default from the heap).")
                .constLabels(constLabels)
                .register(registry);
        checksLeftOut = Gauge.builder()
                .name("pxc_probe_checks_left_out")
                .help("Checks discovery asks for that the check limit leaves out: those paths are not probed.")
                .constLabels(constLabels)
                .register(registry);
        checksSampledOut = Gauge.builder()
                .name("pxc_probe_checks_sampled_out")
                .help("Checks of sampled ports (probes.tcp.ports.*.sources) left to the other agents chosen for them.")
                .constLabels(constLabels)
                .register(registry);
        clusterState = Gauge.builder()
                .name("pxc_probe_cluster_state")
                .help("1 for the PerconaXtraDBCluster's current status.state.")
                .constLabels(constLabels)
                .labelNames("namespace", "cluster", "state")
                .register(registry);
        agents = Gauge.builder()
                .name("pxc_probe_agents")
                .help("Agents this one counts probing the same pods, itself included: the divisor of the probe budget.")
                .constLabels(constLabels)
                .register(registry);
        agents.set(1);
        tcpInterval = Gauge.builder()
                .name("pxc_probe_tcp_interval_seconds")
                .unit(Unit.SECONDS)
                .help(
                        "The TCP check interval in force per port: the configured one, or agents / probes.tcp.budget where that is longer.")
                .constLabels(constLabels)
                .labelNames("port")
                .register(registry);
        configReloads = Counter.builder()
                .name("pxc_probe_config_reloads_total")
                .help("Config file re-reads by result.")
                .constLabels(constLabels)
                .labelNames("result")
                .register(registry);
        configLastReloadOk = Gauge.builder()
                .name("pxc_probe_config_last_reload_successful")
                .help("0 after a bad edit of the config file; the last good config stays in force.")
                .constLabels(constLabels)
                .register(registry);
        configLastReloadOk.set(1);
        configReloads.initLabelValues("success");
        configReloads.initLabelValues("failure");
        lateness = Histogram.builder()
                .name("pxc_probe_schedule_lateness_seconds")
                .unit(Unit.SECONDS)
                .help("How late checks started against their slot.")
                .constLabels(constLabels)
                .labelNames("kind")
                .classicOnly()
                .classicUpperBounds(Buckets.LATENESS_SECONDS)
                .withoutExemplars()
                .register(registry);
        skipped = Counter.builder()
                .name("pxc_probe_skipped_runs_total")
                .help("Check runs not started, by reason.")
                .constLabels(constLabels)
                .labelNames("kind", "reason")
                .register(registry);
        for (String kind : List.of("tcp", "dns")) {
            for (SkipReason r : SkipReason.values()) {
                skipped.initLabelValues(kind, r.label());
            }
        }
        GaugeWithCallback.builder()
                .name("pxc_probe_inflight")
                .help("Probes outstanding now.")
                .constLabels(constLabels)
                .callback(cb -> cb.call(inFlight.getAsInt()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("pxc_probe_discovery_up")
                .help("1 while the discovery source is in sync.")
                .constLabels(constLabels)
                .labelNames("source")
                .callback(cb -> sources.get().forEach(s -> cb.call(s.status().up() ? 1 : 0, s.name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("pxc_probe_discovery_last_update_timestamp_seconds")
                .help("Unix time of the source's last successful sync.")
                .constLabels(constLabels)
                .labelNames("source")
                .callback(cb -> sources.get().forEach(s -> {
                    DiscoveryStatus st = s.status();
                    cb.call(st.lastSyncEpochMillis() / 1000.0, s.name());
                }))
                .register(registry);
    }

    /** The operator's states; anything else is folded into {@code unknown} to keep the label bounded. */
    static String knownState(String state) {
        String s = state == null ? "" : state.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "initializing", "ready", "paused", "stopping", "error" -> s;
            default -> "unknown";
        };
    }

    /** The agent count the probe budget divides by. */
    public void agentsCounted(int n) {
        agents.set(n);
    }

    public void configReloaded(boolean ok) {
        configReloads.labelValues(ok ? "success" : "failure").inc();
        configLastReloadOk.set(ok ? 1 : 0);
    }

    @Override
    public void started(String kind, long latenessNanos) {
        lateness.labelValues(kind).observe(Math.max(0, latenessNanos) / 1e9);
    }

    @Override
    public void skipped(String kind, SkipReason reason) {
        skipped.labelValues(kind, reason.label()).inc();
    }

    @Override
    public void onResult(Result result) {}

    @Override
    public void onPlan(ProbePlan plan) {
        Map<List<String>, Integer> perCluster = new HashMap<>();
        for (Member m : plan.snapshot().members()) {
            perCluster.merge(List.of(m.namespace(), m.cluster()), 1, Integer::sum);
        }
        synchronized (planSeriesLock) {
            targets.clear();
            perCluster.forEach((k, n) -> targets.labelValues(k.get(0), k.get(1)).set(n));
            Map<String, Integer> byKind = plan.checksByKind();
            checkKinds.forEach(kind -> checks.labelValues(kind).set(byKind.getOrDefault(kind, 0)));
            checksLimit.set(plan.maxChecks());
            tcpInterval.clear();
            Map<String, Double> intervals = new HashMap<>();
            plan.tcpChecks()
                    .forEach(c -> intervals.merge(c.port().name(), c.interval().toMillis() / 1000.0, Math::max));
            intervals.forEach((port, seconds) -> tcpInterval.labelValues(port).set(seconds));
            checksLeftOut.set(plan.leftOut());
            checksSampledOut.set(plan.sampledOut());
            clusterState.clear();
            plan.snapshot().clusterStates().forEach((key, state) -> {
                int slash = key.indexOf('/');
                if (slash > 0) {
                    clusterState
                            .labelValues(key.substring(0, slash), key.substring(slash + 1), knownState(state))
                            .set(1);
                }
            });
        }
    }
}
