package io.pxcprobe.backup;

import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.state.LatestResults;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges the backup's paths from this node for every cluster in the plan, from the latest result
 * of each check the backup depends on. A check with no result yet, a Ready pod without a gcomm
 * check, or a plan the check limit cut proves nothing: the verdict is then
 * {@link Requirement#UNKNOWN}, never ready. A requirement no check covers is not judged: the admin
 * port outside syn mode, the SRV records of a static cluster without a service name, and the
 * reverse paths where no sidecar reaches this node's canaries.
 */
public final class BackupPaths {
    /** The port names the backup's paths are configured under (the chart's and the loader's defaults). */
    static final String GCOMM_PORT = "gcomm";

    static final String ADMIN_PORT = "admin";

    static final String SST_PORT = "sst";

    private BackupPaths() {}

    public static List<BackupVerdict> of(ProbePlan plan, LatestResults latest) {
        return of(plan, latest, ReverseEvidence.NONE);
    }

    /**
     * With the canaries' evidence: every Ready pod must have reached this node's gcomm canary
     * (gmcast dials garbd back from each member) and its SST canary (any of them may be the donor).
     */
    public static List<BackupVerdict> of(ProbePlan plan, LatestResults latest, ReverseEvidence reverse) {
        Map<String, Judged> byCluster = new TreeMap<>();
        for (Member m : plan.snapshot().members()) {
            Judged j = byCluster.computeIfAbsent(
                    key(m.namespace(), m.cluster()), k -> new Judged(m.namespace(), m.cluster()));
            if (m.ready()) {
                j.readyPods.add(m.pod());
            }
        }
        // a cluster with backups scheduled and no pod at all has no donor either
        for (String key : plan.snapshot().backups().keySet()) {
            String[] nsName = key.split("/", 2);
            byCluster.computeIfAbsent(key, k -> new Judged(nsName[0], nsName[1]));
        }
        for (TcpCheck c : plan.tcpChecks()) {
            Member m = c.member();
            Judged j = byCluster.get(key(m.namespace(), m.cluster()));
            Requirement r = tcpRequirement(c);
            if (j == null || r == null || !m.ready()) {
                continue;
            }
            if (r == Requirement.GCOMM) {
                j.gcommChecked.add(m.pod());
            }
            j.judge(r, latest.latest(c, TcpResult.class).map(TcpResult::pathUp));
        }
        for (DnsCheck c : plan.dnsChecks()) {
            var t = c.target();
            Judged j = byCluster.get(key(t.namespace(), t.cluster()));
            Requirement r = dnsRequirement(c);
            if (j == null || r == null || (r == Requirement.DNS_NAME && !j.readyPods.contains(t.pod()))) {
                continue;
            }
            j.judge(r, latest.latest(c, DnsResult.class).map(DnsResult::ok));
        }
        List<BackupVerdict> out = new ArrayList<>();
        for (Judged j : byCluster.values()) {
            judgeReverse(j, reverse, GCOMM_PORT, Requirement.REVERSE_GCOMM);
            judgeReverse(j, reverse, SST_PORT, Requirement.REVERSE_SST);
            if (plan.leftOut() > 0) {
                j.failing.add(Requirement.UNKNOWN);
            }
            out.add(j.verdict());
        }
        return out;
    }

    /** The requirement a check proves for a backup, null for a check no backup depends on (IST, SST, the unready names). */
    public static Requirement requirementOf(Check c) {
        return switch (c) {
            case TcpCheck t -> tcpRequirement(t);
            case DnsCheck d -> dnsRequirement(d);
        };
    }

    private static Requirement tcpRequirement(TcpCheck c) {
        return switch (c.port().name()) {
            case GCOMM_PORT -> Requirement.GCOMM;
            case ADMIN_PORT -> Requirement.ADMIN;
            default -> null;
        };
    }

    private static Requirement dnsRequirement(DnsCheck c) {
        var t = c.target();
        if (t.kind() == NameKind.SERVICE && t.type() == RecordType.SRV) {
            return Requirement.DNS_SRV;
        }
        return t.kind() == NameKind.POD ? Requirement.DNS_NAME : null;
    }

    private static void judgeReverse(Judged j, ReverseEvidence reverse, String port, Requirement r) {
        reverse.reached(j.namespace, j.cluster, port).ifPresent(pods -> {
            if (!pods.containsAll(j.readyPods)) {
                j.failing.add(r);
            }
        });
    }

    private static String key(String namespace, String cluster) {
        return namespace + "/" + cluster;
    }

    /** One cluster's requirements while the checks are read. */
    private static final class Judged {
        final String namespace;
        final String cluster;
        final Set<String> readyPods = new HashSet<>();
        final Set<String> gcommChecked = new HashSet<>();
        final Set<Requirement> failing = EnumSet.noneOf(Requirement.class);

        Judged(String namespace, String cluster) {
            this.namespace = namespace;
            this.cluster = cluster;
        }

        void judge(Requirement r, Optional<Boolean> proven) {
            if (proven.isEmpty()) {
                failing.add(Requirement.UNKNOWN);
            } else if (!proven.get()) {
                failing.add(r);
            }
        }

        BackupVerdict verdict() {
            if (readyPods.isEmpty()) {
                // no Ready pod: the SRV records list no donor, and the backup cannot start
                failing.add(Requirement.DNS_SRV);
            } else if (!gcommChecked.containsAll(readyPods)) {
                failing.add(Requirement.UNKNOWN);
            }
            return new BackupVerdict(namespace, cluster, failing);
        }
    }
}
