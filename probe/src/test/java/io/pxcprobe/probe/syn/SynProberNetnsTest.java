package io.pxcprobe.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.probe.Errno;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.testkit.Privileges;
import io.pxcprobe.testkit.VethNetNs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SYN probes of a host in a network namespace: a listener, a closed port, DROP and REJECT rules
 * (each ICMP type a firewall sends) and an unreachable route, IPv4 and IPv6. Each must end as a
 * connect() on the same target ends, and leave no half-open connection or retransmission behind.
 */
class SynProberNetnsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final int LISTENING = 4567;
    private static final int CLOSED = 4568;
    private static final int DROPPED = 4444;

    private static VethNetNs ns;
    private static SynProber prober;

    record Case(InetAddress address, int port, TcpOutcome expected, String what) {
        @Override
        public String toString() {
            return what + " " + address.getHostAddress() + ":" + port + " (expected " + expected.label() + ")";
        }

        InetSocketAddress target() {
            return new InetSocketAddress(address, port);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        Privileges.assumeRoot();
        ns = VethNetNs.create();
        // ICMP errors are rate-limited per destination; this test sends a burst of them
        ns.exec("sysctl", "-qw", "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0");
        for (String iptables : new String[] {"iptables", "ip6tables"}) {
            ns.exec(iptables, "-A", "INPUT", "-p", "tcp", "--dport", String.valueOf(DROPPED), "-j", "DROP");
        }
        reject("iptables", 4600, "icmp-host-unreachable");
        reject("iptables", 4601, "icmp-port-unreachable");
        reject("iptables", 4602, "icmp-admin-prohibited");
        reject("iptables", 4603, "icmp-net-unreachable");
        reject("iptables", 4604, "icmp-proto-unreachable");
        reject("ip6tables", 4600, "icmp6-addr-unreachable");
        reject("ip6tables", 4601, "icmp6-port-unreachable");
        reject("ip6tables", 4602, "icmp6-adm-prohibited");
        reject("ip6tables", 4603, "icmp6-no-route");
        // A listener that never accepts: whatever completes a handshake stays visible in its accept queue.
        ns.startInNs(
                "timeout",
                "300",
                "python3",
                "-c",
                "import socket,time\n"
                        + "s=socket.socket(socket.AF_INET6)\n"
                        + "s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\n"
                        + "s.bind(('::'," + LISTENING + "))\ns.listen(64)\ntime.sleep(300)\n");
        waitForListener();
        prober = new SynProber();
    }

    private static void reject(String iptables, int port, String with) throws Exception {
        ns.exec(
                iptables,
                "-A",
                "INPUT",
                "-p",
                "tcp",
                "--dport",
                String.valueOf(port),
                "-j",
                "REJECT",
                "--reject-with",
                with);
    }

    private static void waitForListener() throws Exception {
        for (int i = 0; i < 50; i++) {
            if (ns.exec("ss", "-Hltn", "sport = :" + LISTENING).contains(":" + LISTENING)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the listener in " + ns.name() + " did not start");
    }

    @AfterAll
    static void tearDown() {
        if (prober != null) {
            prober.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static List<Case> cases() {
        return List.of(
                new Case(ns.v4(), LISTENING, TcpOutcome.OPEN, "listener"),
                new Case(ns.v4(), CLOSED, TcpOutcome.REFUSED, "closed port"),
                new Case(ns.v4(), DROPPED, TcpOutcome.TIMEOUT, "DROP"),
                new Case(ns.v4(), 4600, TcpOutcome.UNREACHABLE, "REJECT icmp-host-unreachable"),
                new Case(ns.v4(), 4601, TcpOutcome.REFUSED, "REJECT icmp-port-unreachable"),
                new Case(ns.v4(), 4602, TcpOutcome.UNREACHABLE, "REJECT icmp-admin-prohibited"),
                new Case(ns.v4(), 4603, TcpOutcome.UNREACHABLE, "REJECT icmp-net-unreachable"),
                new Case(ns.v4(), 4604, TcpOutcome.ERROR, "REJECT icmp-proto-unreachable (ENOPROTOOPT)"),
                new Case(ns.unreachableV4(), LISTENING, TcpOutcome.UNREACHABLE, "unreachable route"),
                new Case(ns.noRouteV4(), LISTENING, TcpOutcome.UNREACHABLE, "no route"),
                new Case(ns.v6(), LISTENING, TcpOutcome.OPEN, "listener"),
                new Case(ns.v6(), CLOSED, TcpOutcome.REFUSED, "closed port"),
                new Case(ns.v6(), DROPPED, TcpOutcome.TIMEOUT, "DROP"),
                new Case(ns.v6(), 4600, TcpOutcome.UNREACHABLE, "REJECT icmp6-addr-unreachable"),
                new Case(ns.v6(), 4601, TcpOutcome.REFUSED, "REJECT icmp6-port-unreachable"),
                new Case(ns.v6(), 4602, TcpOutcome.ERROR, "REJECT icmp6-adm-prohibited (EACCES)"),
                new Case(ns.v6(), 4603, TcpOutcome.UNREACHABLE, "REJECT icmp6-no-route"),
                new Case(ns.unreachableV6(), LISTENING, TcpOutcome.UNREACHABLE, "unreachable route"));
    }

    @Test
    void classifiesEveryFaultAsConnectDoesAndLeavesNothingHalfOpen() throws Exception {
        List<Case> cases = cases();
        long retransmitsBefore = retransmittedSegmentsInNs();
        List<CompletableFuture<TcpResult>> futures = new ArrayList<>();
        for (Case c : cases) {
            futures.add(prober.probe(Checks.syn(c.address(), c.port(), TIMEOUT)));
        }
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            TcpResult result = futures.get(i).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (result.outcome() != c.expected()) {
                mismatches.add("syn " + c + " -> " + result.outcome().label() + " " + result.detail());
            }
            if (result.answered()) {
                assertTrue(result.connectNanos() > 0 && result.connectNanos() < TIMEOUT.toNanos(), result.toString());
            }
        }
        Thread.sleep(200);
        assertEquals("", ns.exec("ss", "-Htan", "state", "syn-recv"), "half-open connections left on the server");
        assertEquals(0, acceptQueueLength(), "a SYN probe reached the accept queue");
        assertEquals(retransmitsBefore, retransmittedSegmentsInNs(), "the server retransmitted a SYN-ACK");

        try (ConnectMode connectMode = new ConnectMode()) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                TcpResult connect = connectMode.probe(c.target(), TIMEOUT);
                TcpResult syn = futures.get(i).getNow(null);
                // an ICMP network unreachable arrives after connect() returned, and netty raises it as it
                // raises EHOSTUNREACH; a route exists, so connect mode says EHOSTUNREACH (docs/syn-mode.md)
                boolean icmpNetUnreachable = c.what().startsWith("REJECT")
                        && syn.errno() == Errno.ENETUNREACH
                        && connect.errno() == Errno.EHOSTUNREACH;
                boolean errnoComparable = connect.errno() != 0 && !icmpNetUnreachable;
                if (connect.outcome() != c.expected() || (errnoComparable && connect.errno() != syn.errno())) {
                    mismatches.add("connect " + c + " -> " + connect.outcome().label() + " " + connect.detail()
                            + " (errno " + connect.errno() + ", syn errno " + syn.errno() + ")");
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(acceptQueueLength() > 0, "control: a connect() does reach the accept queue");
    }

    @Test
    void repeatedProbesOfOneTargetReuseTheFourTupleCleanly() throws Exception {
        for (InetAddress address : new InetAddress[] {ns.v4(), ns.v6()}) {
            for (int i = 0; i < 20; i++) {
                TcpResult result = prober.probe(Checks.syn(address, LISTENING, TIMEOUT))
                        .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                assertEquals(TcpOutcome.OPEN, result.outcome(), "probe " + i + " of " + address + ": " + result);
            }
        }
    }

    @Test
    void foreignRepliesToOurPortAreIgnored() throws Exception {
        CompletableFuture<TcpResult> filtered = prober.probe(Checks.syn(ns.v4(), DROPPED, TIMEOUT));
        long ignoredBefore = prober.stats().ignored();
        // SYN-ACKs and RSTs from the probed port with sequence numbers that answer no probe of ours
        ns.exec(
                "python3",
                "-c",
                FORGE,
                ns.v4().getHostAddress(),
                ns.hostV4().getHostAddress(),
                String.valueOf(DROPPED),
                String.valueOf(prober.sourcePort()));
        TcpResult result = filtered.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        assertEquals(TcpOutcome.TIMEOUT, result.outcome(), result.toString());
        assertTrue(prober.stats().ignored() >= ignoredBefore + 4, prober.stats().toString());
    }

    @Test
    void boundsOutstandingProbesMeetsDeadlinesAndFailsPendingOnClose() throws Exception {
        try (SynProber small = new SynProber(3)) {
            long start = System.nanoTime();
            List<CompletableFuture<TcpResult>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(small.probe(Checks.syn(ns.v4(), DROPPED, TIMEOUT)));
            }
            for (int i = 3; i < 5; i++) {
                TcpResult refused = futures.get(i).getNow(null);
                assertEquals(TcpOutcome.ERROR, refused.outcome(), String.valueOf(refused));
                assertTrue(refused.detail().contains("too many outstanding"), refused.detail());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        TcpOutcome.TIMEOUT,
                        futures.get(i).get(5, TimeUnit.SECONDS).outcome());
            }
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= TIMEOUT.toMillis() && tookMillis < TIMEOUT.toMillis() + 200, tookMillis + " ms");

            CompletableFuture<TcpResult> pending = small.probe(Checks.syn(ns.v4(), DROPPED, Duration.ofSeconds(30)));
            Thread.sleep(50);
            small.close();
            TcpResult closed = pending.get(1, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.ERROR, closed.outcome());
            assertEquals("SYN prober closed", closed.detail());
            assertEquals(
                    "SYN prober closed",
                    small.probe(Checks.syn(ns.v4(), DROPPED, TIMEOUT))
                            .getNow(null)
                            .detail());
        }
    }

    private static final String FORGE = """
            import socket, struct, sys
            src, dst, sport, dport = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
            def csum(b):
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
                while s >> 16:
                    s = (s & 0xffff) + (s >> 16)
                return ~s & 0xffff
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
            for ack in (12345, 4242424242):
                for flags in (0x14, 0x12):
                    tcp = struct.pack('!HHIIBBHHH', sport, dport, 777, ack, 5 << 4, flags, 1024, 0, 0)
                    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, len(tcp))
                    tcp = tcp[:16] + struct.pack('!H', csum(pseudo + tcp)) + tcp[18:]
                    s.sendto(tcp, (dst, 0))
            """;

    private static int acceptQueueLength() throws Exception {
        String line = ns.exec("ss", "-Hltn", "sport = :" + LISTENING).trim();
        return Integer.parseInt(line.split("\\s+")[1]);
    }

    private static long retransmittedSegmentsInNs() throws Exception {
        List<String> tcp = ns.exec("cat", "/proc/net/snmp")
                .lines()
                .filter(l -> l.startsWith("Tcp:"))
                .toList();
        List<String> names = List.of(tcp.get(0).split("\\s+"));
        return Long.parseLong(tcp.get(1).split("\\s+")[names.indexOf("RetransSegs")]);
    }
}
