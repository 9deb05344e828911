package io.pxcprobe.probe.syn;

import com.sun.jna.LastErrorException;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Errno;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.TcpResult;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Half-open TCP probes from raw sockets: send a SYN, match the SYN-ACK ({@code open}), RST
 * ({@code refused}), ICMP error (classified by the errno a connect() would get) or nothing
 * ({@code timeout}) to that probe, and let the kernel answer the SYN-ACK with its own RST. The
 * connection never reaches the server's accept queue. Needs CAP_NET_RAW: see {@link RawSockets}.
 *
 * <p>{@link #probe} only enqueues (never blocks); one I/O thread sends and reads. Futures complete
 * on that thread: dependents must not block. At most {@code maxOutstanding} probes are in flight;
 * beyond that a probe ends at once in {@code error}.
 */
public final class SynProber implements Prober<TcpCheck, TcpResult> {

    public static final int DEFAULT_MAX_OUTSTANDING = 4096;
    /** How long after its deadline a probe is failed if the I/O thread has not answered it. */
    static final long SAFETY_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private final int maxOutstanding;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final BlockingQueue<PendingProbe> requests;
    private final SourcePort sourcePort;
    private final SynIoLoop.Sockets sockets;
    private final WakeUp wakeUp;
    private final SynIoLoop loop;
    private final Thread thread;
    private volatile boolean closed;

    public SynProber() {
        this(DEFAULT_MAX_OUTSTANDING);
    }

    /** @throws IllegalStateException if raw sockets cannot be opened (no CAP_NET_RAW) */
    public SynProber(int maxOutstanding) {
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be positive: " + maxOutstanding);
        }
        RawSockets.Support support = RawSockets.check();
        if (!support.available()) {
            throw new IllegalStateException("SYN probes unavailable: " + support.reason());
        }
        this.maxOutstanding = maxOutstanding;
        this.requests = new ArrayBlockingQueue<>(maxOutstanding);
        this.sourcePort = new SourcePort();
        try {
            this.sockets = openSockets(sourcePort.port(), support);
        } catch (RuntimeException e) {
            sourcePort.close();
            throw e;
        }
        this.wakeUp = new WakeUp();
        this.loop = new SynIoLoop(sourcePort.port(), sockets, wakeUp, requests);
        this.thread = new Thread(loop, "pxc-probe-syn");
        thread.setDaemon(true);
        thread.start();
    }

    private static SynIoLoop.Sockets openSockets(int port, RawSockets.Support support) {
        RawSocket tcp4 =
                RawSocket.open(Libc.AF_INET, Libc.IPPROTO_TCP, SocketFilters.tcpV4(port), RECEIVE_BUFFER_BYTES);
        RawSocket icmp4 = null;
        RouteLookup route4 = null;
        try {
            icmp4 = RawSocket.open(Libc.AF_INET, Libc.IPPROTO_ICMP, SocketFilters.icmpV4(), RECEIVE_BUFFER_BYTES);
            route4 = new RouteLookup(Libc.AF_INET);
        } catch (LastErrorException e) {
            new SynIoLoop.Sockets(tcp4, icmp4, route4, null, null, null, "").close();
            throw new IllegalStateException(
                    "cannot open the IPv4 SYN probe sockets: " + Errno.name(e.getErrorCode()), e);
        }
        if (!support.ipv6()) {
            return new SynIoLoop.Sockets(
                    tcp4, icmp4, route4, null, null, null, "IPv6 SYN probes unavailable: " + support.reason());
        }
        RawSocket tcp6 = null;
        RawSocket icmp6 = null;
        RouteLookup route6 = null;
        try {
            tcp6 = RawSocket.open(Libc.AF_INET6, Libc.IPPROTO_TCP, SocketFilters.tcpV6(port), RECEIVE_BUFFER_BYTES);
            icmp6 = RawSocket.open(Libc.AF_INET6, Libc.IPPROTO_ICMPV6, SocketFilters.icmpV6(), RECEIVE_BUFFER_BYTES);
            route6 = new RouteLookup(Libc.AF_INET6);
        } catch (LastErrorException e) {
            new SynIoLoop.Sockets(null, null, null, tcp6, icmp6, route6, "").close();
            return new SynIoLoop.Sockets(
                    tcp4,
                    icmp4,
                    route4,
                    null,
                    null,
                    null,
                    "IPv6 SYN probe sockets failed: " + Errno.name(e.getErrorCode()));
        }
        return new SynIoLoop.Sockets(tcp4, icmp4, route4, tcp6, icmp6, route6, "");
    }

    @Override
    public CompletableFuture<TcpResult> probe(TcpCheck check) {
        long startedAtMillis = System.currentTimeMillis();
        CompletableFuture<TcpResult> future = new CompletableFuture<>();
        if (closed || loop.stopped()) {
            future.complete(SynResults.error(check, startedAtMillis, "SYN prober closed"));
            return future;
        }
        if (outstanding.incrementAndGet() > maxOutstanding) {
            outstanding.decrementAndGet();
            future.complete(SynResults.error(
                    check, startedAtMillis, "too many outstanding SYN probes (max " + maxOutstanding + ")"));
            return future;
        }
        future.whenComplete((result, failure) -> outstanding.decrementAndGet());
        long timeoutNanos = check.timeout().toNanos();
        future.completeOnTimeout(
                SynResults.error(check, startedAtMillis, "SYN prober gave no result in time"),
                timeoutNanos + SAFETY_MARGIN_NANOS,
                TimeUnit.NANOSECONDS);
        if (!requests.offer(new PendingProbe(check, future, startedAtMillis, System.nanoTime() + timeoutNanos))) {
            future.complete(SynResults.error(check, startedAtMillis, "SYN prober queue full"));
            return future;
        }
        wakeUp.signal();
        return future;
    }

    /** The port every SYN comes from, held by a bound socket while the prober lives. */
    public int sourcePort() {
        return sourcePort.port();
    }

    public SynStats stats() {
        return loop.stats();
    }

    /** Ends every pending probe in {@code error}, stops the I/O thread and releases the sockets and the port. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            sockets.close();
            wakeUp.close();
        }
        sourcePort.close();
    }
}
