package io.pxcprobe.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe budget: the interval in force is agents / budget where that is longer than the configured one. */
class FanInTest {
    private static final Duration FIVE = Duration.ofSeconds(5);

    @Test
    void stretchesOnlyPastTheBudget() {
        assertEquals(FIVE, FanIn.interval(FIVE, 1, 20), "alone: the configured interval");
        assertEquals(FIVE, FanIn.interval(FIVE, 100, 20), "100 agents / 5 s = 20 a second: within the budget");
        assertEquals(Duration.ofMillis(5050), FanIn.interval(FIVE, 101, 20), "one agent more: stretched");
        assertEquals(Duration.ofSeconds(50), FanIn.interval(FIVE, 1000, 20));
        assertEquals(Duration.ofSeconds(60), FanIn.interval(Duration.ofSeconds(60), 1000, 20), "longer already");
        assertEquals(FIVE, FanIn.interval(FIVE, 1000, 0), "budget 0: none");
        assertEquals(Duration.ofMillis(334), FanIn.interval(Duration.ofMillis(100), 1000, 3000), "rounded up");
        for (int agents : new int[] {1, 7, 99, 101, 333, 1000, 5000}) {
            double perSecond = agents / (FanIn.interval(FIVE, agents, 20).toMillis() / 1000.0);
            assertTrue(perSecond <= 20.0 + 1e-9, agents + " agents send " + perSecond + " a second");
        }
    }

    @Test
    void thePlanStretchesTcpChecksAndLeavesDnsAlone() throws Exception {
        AgentConfig c = new ConfigLoader(k -> null)
                .parse("t.yaml", "probes: {tcp: {interval: 5s, budget: 20}, dns: {resolvers: ['10.96.0.10']}}");
        Member m = new Member("db", "c1", "c1-pxc-0", InetAddress.getByName("10.0.0.5"), "n1", true, Map.of());
        DnsTarget name = new DnsTarget(
                "db",
                "c1",
                "c1-pxc-0",
                NameKind.POD,
                "c1-pxc-0.c1-pxc.db.svc.cluster.local",
                RecordType.A,
                DnsExpectation.any());
        TargetSnapshot s = new TargetSnapshot(List.of(m), List.of(name), Map.of(), List.of());
        ProbePlan alone = ProbePlan.build(s, c.tcp(), c.dns(), c.dns().resolvers(), x -> TcpMode.CONNECT, 1000);
        ProbePlan many = ProbePlan.build(s, c.tcp(), c.dns(), c.dns().resolvers(), x -> TcpMode.CONNECT, 1000, 1000);
        assertEquals(3, many.tcpChecks().size());
        alone.tcpChecks().forEach(t -> assertEquals(FIVE, t.interval(), t.key()));
        many.tcpChecks().forEach(t -> assertEquals(Duration.ofSeconds(50), t.interval(), t.key()));
        assertEquals(
                alone.tcpChecks().stream().map(TcpCheck::key).toList(),
                many.tcpChecks().stream().map(TcpCheck::key).toList(),
                "the same paths: every node still checks every path");
        assertEquals(alone.dnsChecks(), many.dnsChecks(), "DNS lookups go to the resolvers, not to the pods");
    }
}
