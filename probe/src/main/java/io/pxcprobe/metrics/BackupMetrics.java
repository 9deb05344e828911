package io.pxcprobe.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.backup.BackupSchedules;
import io.pxcprobe.backup.BackupVerdict;
import io.pxcprobe.backup.Requirement;
import io.pxcprobe.target.TargetSnapshot;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Supplier;

/**
 * The backup verdict of every cluster from this agent's node, judged at each scrape from the latest
 * results: whether a backup started here would get through, and which requirement fails. Every
 * requirement of a cluster is exported, 0 when met, so that a change is a value change and the
 * series stay bounded (clusters x 7).
 */
public final class BackupMetrics {

    public BackupMetrics(
            PrometheusRegistry registry,
            Labels constLabels,
            Supplier<List<BackupVerdict>> verdicts,
            Supplier<TargetSnapshot> snapshot,
            BackupSchedules schedules) {
        GaugeWithCallback.builder()
                .name("pxc_probe_backup_next_run_timestamp_seconds")
                .help("Unix time of the next run of each backup schedule of the PerconaXtraDBCluster.")
                .constLabels(constLabels)
                .labelNames("namespace", "cluster", "schedule", "storage")
                .callback(cb -> schedules
                        .nextRuns(snapshot.get(), ZonedDateTime.now(ZoneOffset.UTC))
                        .forEach(r ->
                                cb.call(r.at().toEpochSecond(), r.namespace(), r.cluster(), r.schedule(), r.storage())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("pxc_probe_backup_node_eligible")
                .help(
                        "1 when the storage's backup pods may run on this node (nodeSelector, required node affinity, tolerations).")
                .constLabels(constLabels)
                .labelNames("namespace", "cluster", "storage")
                .callback(cb -> schedules
                        .eligibility(snapshot.get())
                        .forEach(e -> cb.call(e.eligible() ? 1 : 0, e.namespace(), e.cluster(), e.storage())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("pxc_probe_backup_path_ready")
                .help("1 when every path a backup started on this node needs was proven by the latest checks.")
                .constLabels(constLabels)
                .labelNames("namespace", "cluster")
                .callback(cb -> verdicts.get().forEach(v -> cb.call(v.ready() ? 1 : 0, v.namespace(), v.cluster())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("pxc_probe_backup_requirement_failing")
                .help("1 for each requirement of a backup started on this node that the latest checks do not prove.")
                .constLabels(constLabels)
                .labelNames("namespace", "cluster", "requirement")
                .callback(cb -> verdicts.get().forEach(v -> {
                    for (Requirement r : Requirement.values()) {
                        cb.call(v.failing().contains(r) ? 1 : 0, v.namespace(), v.cluster(), r.label());
                    }
                }))
                .register(registry);
    }
}
