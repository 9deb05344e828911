package io.pxcprobe.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A reply claims a probe only by its full identity, and only once. */
class PendingProbesTest {

    private static final int OUR_PORT = 40000;

    @Test
    void matchesByRemoteEndIsnOurPortAndAddressOnce() throws Exception {
        InetAddress remote = InetAddress.getByName("198.18.0.2");
        InetAddress source = InetAddress.getByName("198.18.0.1");
        PendingProbes pending = new PendingProbes();
        PendingProbe probe = probe(remote, source, 4567, 123456, 1_000);
        pending.add(probe);

        assertNull(pending.claim(reply(remote, 4567, source, OUR_PORT + 1, 123456), OUR_PORT), "other local port");
        assertNull(pending.claim(reply(remote, 4568, source, OUR_PORT, 123456), OUR_PORT), "other remote port");
        assertNull(
                pending.claim(reply(InetAddress.getByName("198.18.0.3"), 4567, source, OUR_PORT, 123456), OUR_PORT),
                "other remote address");
        assertNull(pending.claim(reply(remote, 4567, source, OUR_PORT, 123457), OUR_PORT), "other ISN");
        assertNull(
                pending.claim(reply(remote, 4567, InetAddress.getByName("198.18.0.9"), OUR_PORT, 123456), OUR_PORT),
                "other local address");
        assertSame(probe, pending.claim(reply(remote, 4567, source, OUR_PORT, 123456), OUR_PORT));
        assertNull(pending.claim(reply(remote, 4567, source, OUR_PORT, 123456), OUR_PORT), "duplicate");
        assertEquals(0, pending.size());
    }

    @Test
    void expiresOnlyUnansweredProbesPastTheirDeadline() throws Exception {
        InetAddress remote = InetAddress.getByName("::1");
        PendingProbes pending = new PendingProbes();
        PendingProbe answered = probe(remote, remote, 1, 1, 100);
        PendingProbe late = probe(remote, remote, 2, 2, 200);
        PendingProbe early = probe(remote, remote, 3, 3, 50);
        pending.add(answered);
        pending.add(late);
        pending.add(early);
        assertSame(answered, pending.claim(reply(remote, 1, null, OUR_PORT, 1), OUR_PORT));
        assertEquals(50, pending.nanosToNextDeadline(0));
        assertEquals(List.of(early), pending.expire(150));
        assertEquals(50, pending.nanosToNextDeadline(150));
        assertEquals(List.of(late), pending.expire(200));
        assertEquals(-1, pending.nanosToNextDeadline(200));
    }

    private static PendingProbe probe(InetAddress remote, InetAddress source, int port, int isn, long deadline) {
        PendingProbe probe = new PendingProbe(
                Checks.syn(remote, port, Duration.ofSeconds(1)), new CompletableFuture<>(), 0, deadline);
        probe.remote = remote;
        probe.source = source;
        probe.isn = isn;
        probe.key = new PendingProbe.ProbeKey(remote, port, isn);
        return probe;
    }

    private static Reply reply(InetAddress remote, int remotePort, InetAddress local, int localPort, int isn) {
        return new Reply(remote, remotePort, local, localPort, isn, Reply.Kind.SYN_ACK, 0, "SYN-ACK", 64);
    }
}
