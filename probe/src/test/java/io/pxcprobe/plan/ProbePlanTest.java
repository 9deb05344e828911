package io.pxcprobe.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.Snapshots;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProbePlanTest {
    private static AgentConfig config(String yaml) throws Exception {
        return new ConfigLoader(k -> null).parse("t.yaml", yaml);
    }

    private static TargetSnapshot snapshot() throws Exception {
        Member m = new Member(
                "db", "c1", "c1-pxc-0", InetAddress.getByName("10.0.0.1"), "n1", true, Map.of("gcomm", 14567));
        DnsTarget pod = new DnsTarget(
                "db",
                "c1",
                "c1-pxc-0",
                NameKind.POD,
                "c1-pxc-0.c1-pxc.db.svc.cluster.local",
                RecordType.A,
                DnsExpectation.containsAll(Set.of("10.0.0.1")));
        DnsTarget srv = new DnsTarget(
                "db",
                "c1",
                "",
                NameKind.SERVICE,
                "c1-pxc.db.svc.cluster.local",
                RecordType.SRV,
                DnsExpectation.equalTo(Set.of("c1-pxc-0.c1-pxc.db.svc.cluster.local")));
        return new TargetSnapshot(List.of(m), List.of(pod, srv), Map.of(), List.of());
    }

    @Test
    void membersTimesPortsAndNamesTimesResolvers() throws Exception {
        AgentConfig c = config("probes: {dns: {resolvers: ['10.96.0.10', '10.96.0.11']}}");
        ProbePlan p = ProbePlan.build(
                snapshot(), c.tcp(), c.dns(), c.dns().resolvers(), m -> TcpMode.CONNECT, Integer.MAX_VALUE);
        assertEquals(3, p.tcpChecks().size());
        assertEquals(
                4567,
                number(p, "gcomm"),
                "a pod's own write-set number is not taken unless the configuration allows it");
        assertEquals(4568, number(p, "ist"));
        assertEquals(4, p.dnsChecks().size(), "2 names x 2 resolvers");
    }

    @Test
    void aPodsOwnPortNumberIsTakenOnlyWhereTheConfigurationAllowsIt() throws Exception {
        AgentConfig allowed = config("probes: {tcp: {ports: {gcomm: {port: 4567, podPorts: [14567]}}}}");
        ProbePlan p = ProbePlan.build(
                snapshot(), allowed.tcp(), allowed.dns(), List.of(), m -> TcpMode.CONNECT, Integer.MAX_VALUE);
        assertEquals(14567, number(p, "gcomm"), "the pod's write-set container port, allowed");
        AgentConfig other = config("probes: {tcp: {ports: {gcomm: {port: 4567, podPorts: [24567]}}}}");
        p = ProbePlan.build(snapshot(), other.tcp(), other.dns(), List.of(), m -> TcpMode.CONNECT, Integer.MAX_VALUE);
        assertEquals(4567, number(p, "gcomm"), "a number the configuration does not allow: the configured port");
    }

    @Test
    void theProbeBudgetStretchesTcpChecksAndLeavesDnsAlone() throws Exception {
        AgentConfig c = config("probes: {tcp: {interval: 5s, budget: 20}, dns: {resolvers: ['10.96.0.10']}}");
        ProbePlan alone =
                ProbePlan.build(snapshot(), c.tcp(), c.dns(), c.dns().resolvers(), x -> TcpMode.CONNECT, 1000);
        ProbePlan many = ProbePlan.build(
                snapshot(), c.tcp(), c.dns(), c.dns().resolvers(), x -> TcpMode.CONNECT, 1000, Fleet.of(1000));
        assertEquals(3, many.tcpChecks().size());
        alone.tcpChecks().forEach(t -> assertEquals(Duration.ofSeconds(5), t.interval(), t.key()));
        many.tcpChecks().forEach(t -> assertEquals(Duration.ofSeconds(50), t.interval(), t.key()));
        assertEquals(
                alone.tcpChecks().stream().map(TcpCheck::key).toList(),
                many.tcpChecks().stream().map(TcpCheck::key).toList(),
                "the same paths: every node still checks every path");
        assertEquals(alone.dnsChecks(), many.dnsChecks(), "DNS lookups go to the resolvers, not to the pods");
    }

    @Test
    void aSampledPortIsProbedByExactlyItsSourcesAndTheVerdictsPortsByEveryone() throws Exception {
        AgentConfig c = config("""
                probes:
                  tcp:
                    ports:
                      gcomm: {port: 4567}
                      ist: {port: 4568, expect: reachable, sources: 3}
                """);
        TargetSnapshot pods = Snapshots.members(3, 10);
        List<String> fleet =
                IntStream.range(1, 11).mapToObj(i -> "10.244.0." + i).toList();
        int istChecks = 0;
        for (String self : fleet) {
            ProbePlan p = ProbePlan.build(
                    pods, c.tcp(), c.dns(), List.of(), x -> TcpMode.CONNECT, 1000, new Fleet(10, fleet, self));
            long gcomm = p.tcpChecks().stream()
                    .filter(t -> t.port().name().equals("gcomm"))
                    .count();
            long ist = p.tcpChecks().stream()
                    .filter(t -> t.port().name().equals("ist"))
                    .count();
            assertEquals(30, gcomm, "the verdict's port: every agent probes every pod");
            assertEquals(30 - ist, p.sampledOut());
            istChecks += (int) ist;
        }
        assertEquals(30 * 3, istChecks, "each pod's IST by exactly 3 of the 10 agents");

        // at 1,000 agents the budget stretches gcomm to 50 s; IST has 3 probers, so 5 s stays
        List<String> thousand = IntStream.range(0, 1000)
                .mapToObj(i -> "10.244." + (i / 250) + "." + (1 + i % 250))
                .toList();
        ProbePlan big = ProbePlan.build(
                pods, c.tcp(), c.dns(), List.of(), x -> TcpMode.CONNECT, 1000, new Fleet(1000, thousand, "10.244.0.1"));
        big.tcpChecks()
                .forEach(t -> assertEquals(
                        t.port().name().equals("gcomm") ? Duration.ofSeconds(50) : Duration.ofSeconds(5),
                        t.interval(),
                        t.key()));
        ProbePlan unplaced = ProbePlan.build(
                pods, c.tcp(), c.dns(), List.of(), x -> TcpMode.CONNECT, 1000, new Fleet(10, fleet, "10.9.9.9"));
        assertEquals(60, unplaced.tcpChecks().size(), "an agent that cannot find itself probes everything");
        assertEquals(0, unplaced.sampledOut());
    }

    private static int number(ProbePlan p, String port) {
        return p.tcpChecks().stream()
                .filter(t -> t.port().name().equals(port))
                .findFirst()
                .orElseThrow()
                .port()
                .port();
    }

    @Test
    void aaaaAddsATwinToEveryALookupOnly() throws Exception {
        AgentConfig c = config("probes: {dns: {aaaa: true, resolvers: ['10.96.0.10']}}");
        ProbePlan p = ProbePlan.build(
                snapshot(), c.tcp(), c.dns(), c.dns().resolvers(), m -> TcpMode.CONNECT, Integer.MAX_VALUE);
        assertEquals(3, p.dnsChecks().size());
        DnsCheck twin = p.dnsChecks().stream()
                .filter(d -> d.target().type() == RecordType.AAAA)
                .findFirst()
                .orElseThrow();
        assertEquals("c1-pxc-0.c1-pxc.db.svc.cluster.local", twin.target().name());
        assertEquals(DnsExpectation.Match.ANY, twin.target().expected().match());
        assertTrue(twin.key().contains("AAAA"));
    }

    @Test
    void autoModeIsSettledByTheGivenFunction() throws Exception {
        AgentConfig c = config("probes: {tcp: {mode: auto}}");
        ProbePlan p = ProbePlan.build(
                snapshot(),
                c.tcp(),
                c.dns(),
                List.of(ResolverSpec.parse("127.0.0.1:53")),
                m -> m == TcpMode.AUTO ? TcpMode.SYN : m,
                Integer.MAX_VALUE);
        assertTrue(p.tcpChecks().stream().allMatch(t -> t.mode() == TcpMode.SYN));
    }

    @Test
    void theAdminPortIsProbedOnlyWhereAutoSettlesToSyn() throws Exception {
        AgentConfig c = config("probes: {tcp: {mode: auto}}");
        ProbePlan syn = ProbePlan.build(
                snapshot(), c.tcp(), c.dns(), List.of(), m -> m == TcpMode.AUTO ? TcpMode.SYN : m, Integer.MAX_VALUE);
        ProbePlan connect = ProbePlan.build(
                snapshot(),
                c.tcp(),
                c.dns(),
                List.of(),
                m -> m == TcpMode.AUTO ? TcpMode.CONNECT : m,
                Integer.MAX_VALUE);
        assertEquals(
                List.of("gcomm", "ist", "sst", "admin"), ports(syn), "syn: the backup's admin-port check is probed");
        assertTrue(syn.tcpChecks().stream()
                .filter(t -> t.port().name().equals("admin"))
                .allMatch(t -> t.port().port() == 33062));
        assertEquals(List.of("gcomm", "ist", "sst"), ports(connect), "connect: a MySQL port is never connected to");
    }

    private static List<String> ports(ProbePlan p) {
        return p.tcpChecks().stream().map(t -> t.port().name()).distinct().toList();
    }
}
