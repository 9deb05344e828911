package io.pxcprobe.backup;

import io.pxcprobe.config.CronSchedule;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.NodeView;
import io.pxcprobe.target.TargetSnapshot;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters' backup schedules as discovery read them: when each runs next, and whether this
 * agent's node is one its storage's backup pods may land on. Parsed schedules are kept by
 * expression (a bounded cache), and a schedule the operator would not run is logged once.
 */
public final class BackupSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(BackupSchedules.class);
    private static final int MAX_CACHED = 256;
    private final Map<String, Optional<CronSchedule>> parsed = new ConcurrentHashMap<>();

    /** @param at the first run after now, in the schedule's own zone */
    public record NextRun(String namespace, String cluster, String schedule, String storage, ZonedDateTime at) {}

    /**
     * @param refusal why a backup pod of the storage cannot land on this node, null when it can
     * @param known   false where the node is not known (no Node watch): the node then counts as eligible
     */
    public record Eligibility(String namespace, String cluster, String storage, String refusal, boolean known) {
        public boolean eligible() {
            return refusal == null;
        }
    }

    public List<NextRun> nextRuns(TargetSnapshot s, ZonedDateTime now) {
        List<NextRun> out = new ArrayList<>();
        s.backups().forEach((key, spec) -> {
            String[] nsName = key.split("/", 2);
            for (BackupSpec.Schedule sch : spec.schedules()) {
                parse(key, sch)
                        .flatMap(c -> c.nextAfter(now))
                        .ifPresent(at -> out.add(new NextRun(nsName[0], nsName[1], sch.name(), storage(sch), at)));
            }
        });
        return out;
    }

    /** Every storage a schedule of the cluster writes to, judged against this node. */
    public List<Eligibility> eligibility(TargetSnapshot s) {
        List<Eligibility> out = new ArrayList<>();
        NodeView node = s.node();
        s.backups().forEach((key, spec) -> {
            String[] nsName = key.split("/", 2);
            var storages = new TreeSet<String>();
            spec.schedules().forEach(sch -> storages.add(storage(sch)));
            for (String storage : storages) {
                String refusal = node == null ? null : node.refusal(spec.placementOf(storage));
                out.add(new Eligibility(nsName[0], nsName[1], storage, refusal, node != null));
            }
        });
        return out;
    }

    private static String storage(BackupSpec.Schedule sch) {
        return sch.storage() == null ? "-" : sch.storage();
    }

    private Optional<CronSchedule> parse(String cluster, BackupSpec.Schedule sch) {
        if (parsed.size() > MAX_CACHED) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(sch.cron(), cron -> {
            try {
                return Optional.of(CronSchedule.parse(cron));
            } catch (CronSchedule.Invalid e) {
                LOG.warn("backup schedule {} of {} is not followed: {}", sch.name(), cluster, e.getMessage());
                return Optional.empty();
            }
        });
    }
}
