package io.pxcprobe.probe.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.net.Inet4Address;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proves a path with a full TCP handshake and closes it at once with RST (SO_LINGER 0): never a
 * byte read or written, no TIME_WAIT left behind, nothing held open on the database (older Galera
 * builds stall every TLS accept behind a connection that lingers; see docs/pxc-facts.md).
 */
public final class TcpConnectProber implements Prober<TcpCheck, TcpResult> {
    /** The probe reads nothing (AUTO_READ off); netty still wants a handler in the pipeline. */
    @ChannelHandler.Sharable
    private static final class Nothing extends ChannelInboundHandlerAdapter {}

    private static final Nothing NOTHING = new Nothing();
    private static final FixedRecvByteBufAllocator NO_READS = new FixedRecvByteBufAllocator(64);
    private final Sockets inet;
    private final Sockets inet6;
    private final boolean epoll;

    /**
     * One address family's bootstraps, by connect timeout: cloning one per probe would copy its
     * option map each time.
     */
    private record Sockets(Bootstrap base, ConcurrentHashMap<Integer, Bootstrap> byTimeout) {
        Sockets(Bootstrap base) {
            this(base, new ConcurrentHashMap<>());
        }

        Bootstrap withTimeout(int millis) {
            return byTimeout.computeIfAbsent(millis, t -> base.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, t));
        }
    }

    public TcpConnectProber(EventLoopGroup group, Transport transport) {
        this.epoll = transport == Transport.EPOLL;
        // No TCP_NODELAY: the probe never writes, and netty sets it on every socket anyway. A fixed
        // receive-buffer guess: the default adaptive one builds its state for every channel, about
        // a fifth of what probing allocated, for reads that never happen.
        Bootstrap common = new Bootstrap()
                .group(group)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.RECVBUF_ALLOCATOR, NO_READS)
                .handler(NOTHING);
        this.inet =
                new Sockets(common.clone().channelFactory(transport.socketChannelFactory(SocketProtocolFamily.INET)));
        this.inet6 =
                new Sockets(common.clone().channelFactory(transport.socketChannelFactory(SocketProtocolFamily.INET6)));
    }

    /** A socket of the target's own family; an unresolved address is left to the dual-stack one. */
    private Bootstrap bootstrapFor(TcpCheck check, int timeoutMillis) {
        Sockets family = check.remote().getAddress() instanceof Inet4Address ? inet : inet6;
        return family.withTimeout(timeoutMillis);
    }

    @Override
    public CompletableFuture<TcpResult> probe(TcpCheck check) {
        CompletableFuture<TcpResult> done = new CompletableFuture<>();
        long wallStart = System.currentTimeMillis();
        long start = System.nanoTime();
        int timeoutMillis = (int) Math.max(1, check.timeout().toMillis());
        ChannelFuture connect;
        try {
            connect = bootstrapFor(check, timeoutMillis).connect(check.remote());
        } catch (RuntimeException e) {
            done.complete(new TcpResult(
                    check, TcpOutcome.ERROR, -1, -1, 0, e.getClass().getSimpleName(), wallStart));
            return done;
        }
        connect.addListener((ChannelFuture f) -> {
            long elapsed = System.nanoTime() - start;
            try {
                if (f.isSuccess()) {
                    long rtt = kernelRttMicros(f.channel());
                    done.complete(new TcpResult(check, TcpOutcome.OPEN, elapsed, rtt, 0, "", wallStart));
                } else {
                    var c = ConnectFailureClassifier.classify(f.cause(), check.remote());
                    long answered = c.outcome() == TcpOutcome.TIMEOUT ? -1 : elapsed;
                    done.complete(new TcpResult(check, c.outcome(), answered, -1, c.errno(), c.detail(), wallStart));
                }
            } finally {
                done.complete(new TcpResult(check, TcpOutcome.ERROR, -1, -1, 0, "internal error", wallStart));
                if (f.channel().isRegistered()) {
                    f.channel().close();
                }
            }
        });
        return done;
    }

    /** The kernel's smoothed RTT right after the handshake: its only sample is the SYN to SYN-ACK time. */
    private long kernelRttMicros(Channel ch) {
        if (!epoll || !(ch instanceof EpollSocketChannel e)) {
            return -1;
        }
        try {
            long rtt = e.tcpInfo().rtt();
            return rtt > 0 ? rtt : -1;
        } catch (RuntimeException ex) {
            return -1;
        }
    }

    @Override
    public void close() {
        // the event loop group belongs to the agent
    }
}
