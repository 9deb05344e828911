package io.pxcprobe.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testing.Snapshots;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A check whose schedule alone changes keeps its latest result; one that probes something else does not. */
class LatestResultsTest {

    @Test
    void aStretchedIntervalKeepsTheResultAndANewAddressStartsPending() throws Exception {
        TargetSnapshot s = Snapshots.members(1, 1);
        TcpCheck gcomm = Snapshots.plan(s, 100).tcpChecks().get(0);
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(new ProbePlan(s, List.of(gcomm), List.of()));
        latest.onResult(new TcpResult(gcomm, TcpOutcome.OPEN, 1000, 100, 0, "", 42));

        PortSpec p = gcomm.port();
        TcpCheck stretched = new TcpCheck(
                gcomm.member(),
                new PortSpec(
                        p.name(), p.port(), p.expect(), Duration.ofSeconds(50), p.timeout(), p.mode(), p.podPorts()));
        latest.onPlan(new ProbePlan(s, List.of(stretched), List.of()));
        TcpResult kept = latest.latest(stretched, TcpResult.class).orElseThrow();
        assertEquals(TcpOutcome.OPEN, kept.outcome());
        assertEquals(stretched, kept.check(), "reported under the check in force");
        latest.onResult(new TcpResult(gcomm, TcpOutcome.TIMEOUT, -1, -1, 110, "ETIMEDOUT", 43));
        assertEquals(
                TcpOutcome.TIMEOUT,
                latest.latest(stretched, TcpResult.class).orElseThrow().outcome(),
                "a probe still in flight under the old interval counts");

        Member m = gcomm.member();
        Member moved = new Member(
                m.namespace(), m.cluster(), m.pod(), InetAddress.getByName("10.9.9.9"), m.node(), true, m.ports());
        TcpCheck elsewhere = new TcpCheck(moved, stretched.port());
        assertEquals(stretched.key(), elsewhere.key(), "the same key: the pod came back with a new address");
        latest.onPlan(new ProbePlan(s, List.of(elsewhere), List.of()));
        assertTrue(
                latest.latest(elsewhere, TcpResult.class).isEmpty(),
                "the old address's result does not speak for the new one: pending");
        latest.onResult(new TcpResult(stretched, TcpOutcome.OPEN, 1000, 100, 0, "", 44));
        assertTrue(latest.latest(elsewhere, TcpResult.class).isEmpty(), "nor does a late result for it");
    }
}
