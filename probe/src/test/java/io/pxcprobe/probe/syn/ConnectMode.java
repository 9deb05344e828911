package io.pxcprobe.probe.syn;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.tcp.TcpConnectProber;
import io.pxcprobe.result.TcpResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The agent's connect-mode prober on its own epoll loop: the reference the SYN prober must agree with. */
final class ConnectMode implements AutoCloseable {

    private final MultiThreadIoEventLoopGroup group = Transport.EPOLL.newGroup(1, "syn-test-connect");
    final TcpConnectProber prober = new TcpConnectProber(group, Transport.EPOLL);

    TcpResult probe(InetSocketAddress target, Duration timeout) throws Exception {
        TcpCheck syn = Checks.syn(target.getAddress(), target.getPort(), timeout);
        PortSpec port = syn.port();
        TcpCheck check = new TcpCheck(
                syn.member(),
                new PortSpec(
                        port.name(), port.port(), port.expect(), port.interval(), port.timeout(), TcpMode.CONNECT));
        return prober.probe(check).get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        prober.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
