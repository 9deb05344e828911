package io.pxcprobe.probe.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testkit.Bind9;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every DNS outcome from a real BIND 9 server (or a real silent/closed UDP port). */
class DnsProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final String POD = "c1-pxc-0.c1-pxc.db.svc.cluster.local";
    private static final String SERVICE = "c1-pxc.db.svc.cluster.local";

    @TempDir
    static Path dir;

    private static Bind9 dns;
    private static final DnsProber prober = new DnsProber();

    @BeforeAll
    static void startDns() throws Exception {
        dns = Bind9.start(
                dir.resolve("named"),
                List.of(
                        "c1-pxc-0.c1-pxc.db.svc IN A 10.0.0.10",
                        "c1-pxc-1.c1-pxc.db.svc IN A 10.0.0.99",
                        "c1-pxc.db.svc IN A 10.0.0.10",
                        "c1-pxc.db.svc IN A 10.0.0.11",
                        "c1-pxc.db.svc IN SRV 0 50 3306 c1-pxc-0.c1-pxc.db.svc.cluster.local.",
                        "c1-pxc.db.svc IN SRV 0 50 3306 c1-pxc-1.c1-pxc.db.svc.cluster.local.",
                        "txtonly IN TXT \"no address here\""));
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
        prober.close();
    }

    private DnsResult ask(String resolver, String name, RecordType type, DnsExpectation expected) throws Exception {
        return prober.probe(Checks.dns(resolver, name, type, expected, TIMEOUT)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void resolversThatLeftThePlanAreForgotten() throws Exception {
        try (DnsProber own = new DnsProber()) {
            DnsCheck[] checks = new DnsCheck[3];
            for (int i = 0; i < checks.length; i++) {
                checks[i] = Checks.dns(
                        "127.0.0." + (i + 1) + ":" + dns.port(), POD, RecordType.A, DnsExpectation.any(), TIMEOUT);
                own.probe(checks[i]).get(5, TimeUnit.SECONDS);
            }
            assertEquals(3, own.resolverCount(), "control: one resolver per endpoint asked");
            own.retainResolversOf(List.of(checks[1]));
            assertEquals(1, own.resolverCount(), "the endpoints that left are forgotten");
            own.probe(checks[1]).get(5, TimeUnit.SECONDS);
            assertEquals(1, own.resolverCount(), "the one in force is reused");
            own.probe(checks[0]).get(5, TimeUnit.SECONDS);
            assertEquals(2, own.resolverCount(), "a forgotten one comes back when a check asks it again");
        }
    }

    @Test
    void answerContainingTheMemberAddressIsOk() throws Exception {
        DnsResult r = ask(dns.address(), POD, RecordType.A, DnsExpectation.containsAll(Set.of("10.0.0.10")));
        assertEquals(DnsOutcome.OK, r.outcome(), r.toString());
        assertEquals(List.of("10.0.0.10"), r.answer());
        assertTrue(r.durationNanos() > 0);
    }

    @Test
    void staleRecordIsAMismatch() throws Exception {
        DnsResult r = ask(
                dns.address(),
                "c1-pxc-1.c1-pxc.db.svc.cluster.local",
                RecordType.A,
                DnsExpectation.containsAll(Set.of("10.0.0.11")));
        assertEquals(DnsOutcome.MISMATCH, r.outcome(), r.toString());
        assertEquals(List.of("10.0.0.99"), r.answer());
    }

    @Test
    void serviceMustEqualTheReadyAddressesAndItsSrvTheReadyPods() throws Exception {
        assertEquals(
                DnsOutcome.OK,
                ask(dns.address(), SERVICE, RecordType.A, DnsExpectation.equalTo(Set.of("10.0.0.10", "10.0.0.11")))
                        .outcome());
        assertEquals(
                DnsOutcome.MISMATCH,
                ask(dns.address(), SERVICE, RecordType.A, DnsExpectation.equalTo(Set.of("10.0.0.10")))
                        .outcome(),
                "an extra address is stale too");
        DnsResult srv = ask(
                dns.address(),
                SERVICE,
                RecordType.SRV,
                DnsExpectation.equalTo(
                        Set.of("c1-pxc-0.c1-pxc.db.svc.cluster.local", "c1-pxc-1.c1-pxc.db.svc.cluster.local")));
        assertEquals(DnsOutcome.OK, srv.outcome(), srv.toString());
        DnsResult missing = ask(
                dns.address(),
                SERVICE,
                RecordType.SRV,
                DnsExpectation.equalTo(Set.of(
                        "c1-pxc-0.c1-pxc.db.svc.cluster.local",
                        "c1-pxc-1.c1-pxc.db.svc.cluster.local",
                        "c1-pxc-2.c1-pxc.db.svc.cluster.local")));
        assertEquals(DnsOutcome.MISMATCH, missing.outcome(), "a Ready pod missing from SRV");
    }

    @Test
    void unknownNameIsNxdomain() throws Exception {
        assertEquals(
                DnsOutcome.NXDOMAIN,
                ask(dns.address(), "c1-pxc-9.c1-pxc.db.svc.cluster.local", RecordType.A, DnsExpectation.any())
                        .outcome());
    }

    @Test
    void nameWithoutAddressRecordsIsEmpty() throws Exception {
        assertEquals(
                DnsOutcome.EMPTY,
                ask(dns.address(), "txtonly.cluster.local", RecordType.A, DnsExpectation.any())
                        .outcome());
    }

    @Test
    void zoneThatNeverLoadedIsServfail() throws Exception {
        assertEquals(
                DnsOutcome.SERVFAIL,
                ask(dns.address(), "x.broken.test", RecordType.A, DnsExpectation.any())
                        .outcome());
    }

    @Test
    void nameOutsideTheServersZonesIsRefused() throws Exception {
        assertEquals(
                DnsOutcome.REFUSED,
                ask(dns.address(), "pxc.example", RecordType.A, DnsExpectation.any())
                        .outcome());
    }

    @Test
    void serverThatNeverAnswersIsATimeoutAtTheDeadline() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            DnsResult r = ask("127.0.0.1:" + silent.getLocalPort(), POD, RecordType.A, DnsExpectation.any());
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals(DnsOutcome.TIMEOUT, r.outcome(), r.toString());
            assertTrue(took >= TIMEOUT.toMillis() - 5 && took < TIMEOUT.toMillis() + 600, "took " + took + " ms");
        }
    }

    @Test
    void noServerAtAllIsAnErrorNotAHang() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        DnsResult r = ask("127.0.0.1:" + closed, POD, RecordType.A, DnsExpectation.any());
        assertTrue(r.outcome() == DnsOutcome.ERROR || r.outcome() == DnsOutcome.TIMEOUT, r.toString());
    }
}
