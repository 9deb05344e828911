package io.pxcprobe.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.state.LatestResults;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testing.Snapshots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class BackupPathsTest {

    @Test
    void allProvenIsReadyAndEachFailedCheckNamesItsRequirement() throws Exception {
        ProbePlan plan = Snapshots.plan(Snapshots.members(3, 1), Integer.MAX_VALUE);
        assertEquals(Set.of(), verdict(plan, c -> true).failing(), "every check good: ready");
        assertTrue(verdict(plan, c -> true).ready());
        assertEquals(
                Set.of(Requirement.GCOMM),
                verdict(plan, c -> !isTcp(c, "gcomm", "c1-pxc-1")).failing());
        assertEquals(
                Set.of(Requirement.DNS_SRV),
                verdict(plan, c -> !isDns(c, NameKind.SERVICE, RecordType.SRV)).failing());
        assertEquals(
                Set.of(Requirement.DNS_NAME),
                verdict(plan, c -> !isDns(c, NameKind.POD, RecordType.A)).failing());
        assertEquals(
                Set.of(Requirement.GCOMM, Requirement.DNS_SRV),
                verdict(plan, c -> !isTcp(c, "gcomm", "c1-pxc-0") && !isDns(c, NameKind.SERVICE, RecordType.SRV))
                        .failing(),
                "every failing requirement is named");
        assertEquals(Set.of(), verdict(plan, c -> !isTcp(c, "ist", "c1-pxc-0")).failing(), "IST is not a backup path");
    }

    @Test
    void aPendingCheckOrACutPlanProvesNothing() throws Exception {
        ProbePlan plan = Snapshots.plan(Snapshots.members(3, 1), Integer.MAX_VALUE);
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(plan);
        record(latest, plan, c -> true, c -> !isTcp(c, "gcomm", "c1-pxc-2"));
        assertEquals(
                Set.of(Requirement.UNKNOWN), only(BackupPaths.of(plan, latest)).failing(), "one gcomm never checked");

        ProbePlan cut = Snapshots.plan(Snapshots.members(3, 1), 8);
        assertTrue(cut.leftOut() > 0);
        assertTrue(verdict(cut, c -> true).failing().contains(Requirement.UNKNOWN), "the limit left checks out");
    }

    @Test
    void onlyReadyPodsAreDonorsAndNoReadyPodMeansNoDonor() throws Exception {
        TargetSnapshot s = Snapshots.members(3, 1);
        List<Member> oneUnready = s.members().stream()
                .map(m -> m.pod().equals("c1-pxc-2")
                        ? new Member(m.namespace(), m.cluster(), m.pod(), m.address(), m.node(), false, m.ports())
                        : m)
                .toList();
        ProbePlan plan = Snapshots.plan(
                new TargetSnapshot(oneUnready, s.dnsTargets(), s.clusterStates(), s.resolvers()), Integer.MAX_VALUE);
        assertEquals(
                Set.of(), verdict(plan, c -> !isTcp(c, "gcomm", "c1-pxc-2")).failing(), "an unready pod is no donor");
        assertEquals(
                Set.of(Requirement.GCOMM),
                verdict(plan, c -> !isTcp(c, "gcomm", "c1-pxc-1")).failing(),
                "positive control: the same failure on a Ready pod counts");

        List<Member> noneReady = s.members().stream()
                .map(m -> new Member(m.namespace(), m.cluster(), m.pod(), m.address(), m.node(), false, m.ports()))
                .toList();
        ProbePlan none =
                Snapshots.plan(new TargetSnapshot(noneReady, List.of(), Map.of(), List.of()), Integer.MAX_VALUE);
        assertEquals(Set.of(Requirement.DNS_SRV), verdict(none, c -> true).failing(), "no Ready pod: no donor to pick");

        TargetSnapshot podless =
                new TargetSnapshot(List.of(), List.of(), Map.of(), List.of(), Map.of("db/c9", BackupSpec.NONE), null);
        assertEquals(
                Set.of(Requirement.DNS_SRV),
                verdict(Snapshots.plan(podless, Integer.MAX_VALUE), c -> true).failing(),
                "a cluster with backups and no pod has no donor");
    }

    @Test
    void theAdminPortCountsWhereItIsProbed() throws Exception {
        AgentConfig syn = new ConfigLoader(k -> null)
                .parse("t.yaml", "probes: {tcp: {mode: syn}, dns: {resolvers: ['10.96.0.10']}}");
        TargetSnapshot s = Snapshots.members(2, 1);
        ProbePlan synPlan = ProbePlan.build(s, syn.tcp(), syn.dns(), syn.dns().resolvers(), m -> m, Integer.MAX_VALUE);
        assertEquals(
                Set.of(Requirement.ADMIN),
                verdict(synPlan, c -> !isTcp(c, "admin", "c1-pxc-0")).failing());
        ProbePlan connectPlan = Snapshots.plan(s, Integer.MAX_VALUE);
        assertTrue(
                connectPlan.tcpChecks().stream().noneMatch(c -> c.port().name().equals("admin")));
        assertEquals(Set.of(), verdict(connectPlan, c -> true).failing(), "not probed in connect mode: not judged");
        assertEquals(TcpMode.SYN, synPlan.tcpChecks().get(0).mode());
    }

    @Test
    void theCanariesJudgeTheReversePathsWhereSidecarsReachThem() throws Exception {
        ProbePlan plan = Snapshots.plan(Snapshots.members(3, 1), Integer.MAX_VALUE);
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(plan);
        record(latest, plan, c -> true, c -> true);
        Set<String> all = Set.of("c1-pxc-0", "c1-pxc-1", "c1-pxc-2");
        ReverseEvidence everyone = (ns, cluster, port) -> Optional.of(all);
        assertEquals(Set.of(), only(BackupPaths.of(plan, latest, everyone)).failing(), "every pod reached both");
        ReverseEvidence noSst =
                (ns, cluster, port) -> Optional.of(port.equals("sst") ? Set.of("c1-pxc-0", "c1-pxc-1") : all);
        assertEquals(
                Set.of(Requirement.REVERSE_SST),
                only(BackupPaths.of(plan, latest, noSst)).failing(),
                "any Ready pod may be the donor: one that cannot stream fails the requirement");
        ReverseEvidence noGcomm = (ns, cluster, port) -> Optional.of(port.equals("gcomm") ? Set.of() : all);
        assertEquals(
                Set.of(Requirement.REVERSE_GCOMM),
                only(BackupPaths.of(plan, latest, noGcomm)).failing());
        assertEquals(
                Set.of(),
                only(BackupPaths.of(plan, latest, ReverseEvidence.NONE)).failing(),
                "no sidecar seen: the reverse paths are not probed, so not judged");
    }

    @Test
    void everyClusterGetsItsOwnVerdict() throws Exception {
        ProbePlan plan = Snapshots.plan(Snapshots.members(2, 2), Integer.MAX_VALUE);
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(plan);
        record(
                latest,
                plan,
                c -> !(c instanceof TcpCheck t && t.member().cluster().equals("c2")),
                c -> true);
        List<BackupVerdict> v = BackupPaths.of(plan, latest);
        assertEquals(List.of("c1", "c2"), v.stream().map(BackupVerdict::cluster).toList());
        assertTrue(v.get(0).ready());
        assertEquals(Set.of(Requirement.GCOMM), v.get(1).failing());
    }

    private static BackupVerdict verdict(ProbePlan plan, Predicate<Object> good) {
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(plan);
        record(latest, plan, good, c -> true);
        return only(BackupPaths.of(plan, latest));
    }

    /** A result for each check {@code recorded} selects: good where {@code good} says so, else a failure. */
    private static void record(
            LatestResults latest, ProbePlan plan, Predicate<Object> good, Predicate<Object> recorded) {
        long now = System.currentTimeMillis();
        for (TcpCheck c : plan.tcpChecks()) {
            if (recorded.test(c)) {
                latest.onResult(
                        good.test(c)
                                ? new TcpResult(c, TcpOutcome.OPEN, 1000, 100, 0, "", now)
                                : new TcpResult(c, TcpOutcome.TIMEOUT, -1, -1, 110, "ETIMEDOUT", now));
            }
        }
        for (DnsCheck c : plan.dnsChecks()) {
            if (recorded.test(c)) {
                latest.onResult(
                        good.test(c)
                                ? new DnsResult(c, DnsOutcome.OK, 1000, List.of(), "", now)
                                : new DnsResult(c, DnsOutcome.MISMATCH, 1000, List.of(), "stale", now));
            }
        }
    }

    private static boolean isTcp(Object c, String port, String pod) {
        return c instanceof TcpCheck t
                && t.port().name().equals(port)
                && t.member().pod().equals(pod);
    }

    private static boolean isDns(Object c, NameKind kind, RecordType type) {
        return c instanceof DnsCheck d
                && d.target().kind() == kind
                && d.target().type() == type;
    }

    private static BackupVerdict only(List<BackupVerdict> v) {
        assertEquals(1, v.size(), v.toString());
        return v.get(0);
    }
}
