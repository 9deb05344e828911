package io.pxcprobe.probe.syn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.pxcprobe.probe.Errno;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SYN prober's single I/O thread: sends queued probes, waits in poll(2) (bounded by the next
 * deadline and at most {@link #MAX_POLL_MILLIS}) on the raw sockets and the wake-up eventfd, matches
 * replies to probes and expires the unanswered. It alone touches the sockets and the probe table.
 */
final class SynIoLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SynIoLoop.class);
    private static final int MAX_POLL_MILLIS = 1000;
    /** Packets read per socket per wake-up, so a flood cannot starve sends and deadlines. */
    private static final int MAX_PACKETS_PER_WAKE = 512;

    private final int sourcePort;
    private final Sockets sockets;
    private final WakeUp wakeUp;
    private final Queue<PendingProbe> requests;
    private final PendingProbes pending = new PendingProbes();
    private final SynAckHopLimits synAckHopLimits = new SynAckHopLimits();
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private final Memory pollFds;
    private final RawSocket[] polled;
    private volatile boolean stopping;
    private volatile long sent;
    private volatile long matched;
    private volatile long ignored;
    private volatile int pendingCount;

    /** The raw sockets and route lookups of both families; the IPv6 ones are null where IPv6 is unavailable. */
    record Sockets(
            RawSocket tcp4,
            RawSocket icmp4,
            RouteLookup route4,
            RawSocket tcp6,
            RawSocket icmp6,
            RouteLookup route6,
            String ipv6Problem)
            implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable c : new AutoCloseable[] {tcp4, icmp4, route4, tcp6, icmp6, route6}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    log.debug("closing a SYN prober socket failed", e);
                }
            }
        }
    }

    SynIoLoop(int sourcePort, Sockets sockets, WakeUp wakeUp, Queue<PendingProbe> requests) {
        this.sourcePort = sourcePort;
        this.sockets = sockets;
        this.wakeUp = wakeUp;
        this.requests = requests;
        List<RawSocket> list = new ArrayList<>();
        for (RawSocket s : new RawSocket[] {sockets.tcp4, sockets.icmp4, sockets.tcp6, sockets.icmp6}) {
            if (s != null) {
                list.add(s);
            }
        }
        polled = list.toArray(RawSocket[]::new);
        pollFds = new Memory(8L * (polled.length + 1));
        pollFds.clear();
        pollFds.setInt(0, wakeUp.fd);
        pollFds.setShort(4, Libc.POLLIN);
        for (int i = 0; i < polled.length; i++) {
            pollFds.setInt(8L * (i + 1), polled[i].fd);
            pollFds.setShort(8L * (i + 1) + 4, Libc.POLLIN);
        }
    }

    boolean stopped() {
        return stopping;
    }

    void stop() {
        stopping = true;
        wakeUp.signal();
    }

    SynStats stats() {
        return new SynStats(sent, matched, ignored, pendingCount);
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                sendQueued();
                waitForPackets(pollTimeoutMillis());
                for (PendingProbe probe : pending.expire(System.nanoTime())) {
                    probe.future.complete(SynResults.timeout(probe));
                }
                pendingCount = pending.size();
            }
            failAll("SYN prober closed");
        } catch (Throwable t) {
            log.error("SYN prober I/O thread failed; every further SYN probe ends in error", t);
            stopping = true;
            failAll("SYN prober failed: " + t);
        }
    }

    private void sendQueued() {
        PendingProbe probe;
        while ((probe = requests.poll()) != null) {
            try {
                send(probe);
            } catch (RuntimeException e) {
                log.warn("SYN probe of {} failed", probe.check.remote(), e);
                probe.future.complete(SynResults.error(probe.check, probe.startedAtMillis, e.toString()));
            }
        }
    }

    private void send(PendingProbe probe) {
        if (System.nanoTime() - probe.deadlineNanos >= 0) {
            probe.future.complete(SynResults.error(probe.check, probe.startedAtMillis, "not sent before its deadline"));
            return;
        }
        InetAddress remote = probe.check.remote().getAddress();
        boolean v4 = remote instanceof Inet4Address;
        RawSocket socket = v4 ? sockets.tcp4 : sockets.tcp6;
        if (socket == null) {
            probe.future.complete(SynResults.error(probe.check, probe.startedAtMillis, sockets.ipv6Problem));
            return;
        }
        try {
            probe.source = (v4 ? sockets.route4 : sockets.route6).sourceFor(remote);
        } catch (LastErrorException e) {
            probe.future.complete(SynResults.failed(probe.check, probe.startedAtMillis, e.getErrorCode(), "route"));
            return;
        }
        int port = probe.check.remote().getPort();
        do {
            probe.isn = random.nextInt();
            probe.key = new PendingProbe.ProbeKey(remote, port, probe.isn);
        } while (pending.contains(probe.key));
        probe.remote = remote;
        byte[] segment = SynSegment.build(probe.source, remote, sourcePort, port, probe.isn);
        Instant now = Instant.now();
        probe.sentEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        probe.sentNanos = System.nanoTime();
        try {
            socket.send(segment, remote);
        } catch (LastErrorException e) {
            probe.future.complete(SynResults.failed(probe.check, probe.startedAtMillis, e.getErrorCode(), "sendto"));
            return;
        }
        sent++;
        pending.add(probe);
    }

    private int pollTimeoutMillis() {
        long nanos = pending.nanosToNextDeadline(System.nanoTime());
        if (nanos < 0) {
            return MAX_POLL_MILLIS;
        }
        return (int) Math.min(MAX_POLL_MILLIS, (nanos + 999_999) / 1_000_000);
    }

    private void waitForPackets(int timeoutMillis) {
        int ready;
        try {
            ready = Libc.poll(pollFds, polled.length + 1, timeoutMillis);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return;
            }
            throw e;
        }
        if (ready <= 0) {
            return;
        }
        if (pollFds.getShort(6) != 0) {
            wakeUp.clear();
        }
        for (int i = 0; i < polled.length; i++) {
            if (pollFds.getShort(8L * (i + 1) + 6) != 0) {
                drain(polled[i]);
            }
        }
    }

    private void drain(RawSocket socket) {
        for (int n = 0; n < MAX_PACKETS_PER_WAKE; n++) {
            RawSocket.Received received = socket.receive();
            if (received == null) {
                return;
            }
            Reply reply = parse(socket, received);
            PendingProbe probe = reply == null ? null : pending.claim(reply, sourcePort);
            if (probe == null) {
                ignored++;
                continue;
            }
            matched++;
            if (reply.kind() == Reply.Kind.SYN_ACK) {
                synAckHopLimits.synAck(reply.remote(), reply.hopLimit());
            }
            probe.future.complete(
                    SynResults.answered(probe, reply, rtt(probe, received), synAckHopLimits.of(reply.remote())));
        }
    }

    private static Reply parse(RawSocket socket, RawSocket.Received received) {
        byte[] p = socket.packet();
        int length = received.length();
        if (socket.family == Libc.AF_INET) {
            return socket.protocol == Libc.IPPROTO_TCP ? ReplyParser.tcpV4(p, length) : ReplyParser.icmpV4(p, length);
        }
        return socket.protocol == Libc.IPPROTO_TCP
                ? ReplyParser.tcpV6(received.source(), received.hopLimit(), p, length)
                : ReplyParser.icmpV6(p, length);
    }

    /**
     * SYN to reply: from the wall clock just before sendto to the kernel's arrival stamp of the reply;
     * the monotonic time to its reading bounds it (a wall-clock step, or no stamp, falls back to that).
     */
    private static long rtt(PendingProbe probe, RawSocket.Received received) {
        long monotonic = System.nanoTime() - probe.sentNanos;
        long stamped = received.arrivalEpochNanos() - probe.sentEpochNanos;
        return received.arrivalEpochNanos() > 0 && stamped >= 0 && stamped <= monotonic ? stamped : monotonic;
    }

    private void failAll(String detail) {
        for (PendingProbe probe : pending.removeAll()) {
            probe.future.complete(SynResults.error(probe.check, probe.startedAtMillis, detail));
        }
        PendingProbe queued;
        while ((queued = requests.poll()) != null) {
            queued.future.complete(SynResults.error(queued.check, queued.startedAtMillis, detail));
        }
        pendingCount = 0;
    }
}
