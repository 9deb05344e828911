package io.pxcprobe.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.Snapshots;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plan under a check limit: whole members in a stable order, DNS after, the rest counted. */
class CheckLimitTest {
    private static final int PORTS = Snapshots.PORTS;

    @Test
    void underTheLimitEveryCheckIsKept() throws Exception {
        ProbePlan p = plan(snapshot(10, 1), 10 * PORTS + 11);
        assertEquals(10 * PORTS, p.tcpChecks().size());
        assertEquals(11, p.dnsChecks().size());
        assertEquals(0, p.leftOut());
    }

    @Test
    void overTheLimitWholeMembersAreKeptFirstThenDns() throws Exception {
        ProbePlan p = plan(snapshot(10, 1), 2 * PORTS + 2);
        assertEquals(2 * PORTS, p.tcpChecks().size(), "8 fits 2 members (6 checks), not a third (9) nor part of it");
        Set<String> members = p.tcpChecks().stream().map(c -> c.member().pod()).collect(Collectors.toSet());
        assertEquals(Set.of("c1-pxc-0", "c1-pxc-1"), members, "the first members in namespace/cluster/pod order");
        p.tcpChecks().stream()
                .collect(Collectors.groupingBy(c -> c.member().pod()))
                .forEach((pod, ports) -> assertEquals(PORTS, ports.size(), pod + " with all its ports"));
        assertEquals(2, p.dnsChecks().size(), "DNS fills what the members left");
        assertEquals(10 * PORTS + 11 - (2 * PORTS + 2), p.leftOut());
    }

    @Test
    void theSameChecksAreKeptWhateverOrderDiscoveryListsThemIn() throws Exception {
        TargetSnapshot ordered = snapshot(40, 2);
        List<Member> shuffled = new ArrayList<>(ordered.members());
        Collections.shuffle(shuffled, new Random(7));
        List<DnsTarget> names = new ArrayList<>(ordered.dnsTargets());
        Collections.shuffle(names, new Random(8));
        TargetSnapshot other = new TargetSnapshot(shuffled, names, Map.of(), List.of());
        ProbePlan a = plan(ordered, 100);
        ProbePlan b = plan(other, 100);
        assertEquals(keys(a), keys(b));
        assertEquals(a.leftOut(), b.leftOut());
        assertTrue(a.leftOut() > 0, "the control: the limit was reached");
    }

    @Test
    void theHeapDecidesTheDefault() {
        assertEquals(24_576, CheckLimit.forHeap(64L << 20), "the launcher's 64 MiB floor");
        assertEquals(CheckLimit.MIN, CheckLimit.forHeap(8L << 20), "never below the minimum");
        assertTrue(CheckLimit.forHeap(1L << 30) > 500_000);
    }

    private static Set<String> keys(ProbePlan p) {
        return p.allChecks().stream().map(Check::key).collect(Collectors.toSet());
    }

    private static ProbePlan plan(TargetSnapshot s, int maxChecks) throws Exception {
        return Snapshots.plan(s, maxChecks);
    }

    private static TargetSnapshot snapshot(int perCluster, int clusters) throws Exception {
        return Snapshots.members(perCluster, clusters);
    }
}
