package io.pxcprobe.probe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.net.Transport;
import io.pxcprobe.probe.Errno;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.Proc;
import io.pxcprobe.testkit.VethNetNs;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every outcome produced for real: loopback for open/refused, a test namespace with iptables for the rest. */
class TcpConnectProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static VethNetNs ns;

    @BeforeAll
    static void namespace() {
        ns = VethNetNs.create();
    }

    @AfterAll
    static void cleanup() {
        if (ns != null) {
            ns.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void openPortIsOpenWithKernelRttAndTheServerSeesNoByteButAReset(Transport transport) throws Exception {
        if (transport == Transport.EPOLL) {
            assertTrue(Epoll.isAvailable(), "epoll must load on Linux x86_64");
        }
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            TcpResult r = new TcpConnectProber(group, transport)
                    .probe(Checks.tcp("127.0.0.1", server.getLocalPort(), PortSpec.Expect.LISTENING, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.OPEN, r.outcome(), r.toString());
            assertTrue(r.pathUp());
            assertTrue(r.connectNanos() > 0);
            if (transport == Transport.EPOLL) {
                assertTrue(r.kernelRttMicros() > 0, "TCP_INFO rtt on epoll: " + r);
            }
            server.setSoTimeout(2000);
            try (Socket accepted = server.accept();
                    InputStream in = accepted.getInputStream()) {
                int read;
                try {
                    read = in.read();
                } catch (SocketException reset) {
                    read = -2;
                }
                assertTrue(read < 0, "the probe must never send a byte, got " + read);
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** Sockets are made per address family (an IPv4 one for an IPv4 target): both families still work. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneProberReachesIpv4AndIpv6Targets(Transport transport) throws Exception {
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try (ServerSocket v4 = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
                ServerSocket v6 = new ServerSocket(0, 10, InetAddress.getByName("::1"))) {
            TcpConnectProber prober = new TcpConnectProber(group, transport);
            for (int round = 0; round < 2; round++) {
                TcpResult r4 = prober.probe(
                                Checks.tcp("127.0.0.1", v4.getLocalPort(), PortSpec.Expect.LISTENING, TIMEOUT))
                        .get(5, TimeUnit.SECONDS);
                TcpResult r6 = prober.probe(Checks.tcp("::1", v6.getLocalPort(), PortSpec.Expect.LISTENING, TIMEOUT))
                        .get(5, TimeUnit.SECONDS);
                assertEquals(TcpOutcome.OPEN, r4.outcome(), r4.toString());
                assertEquals(TcpOutcome.OPEN, r6.outcome(), r6.toString());
                v4.accept().close();
                v6.accept().close();
            }
            int closed = FreePorts.tcp();
            TcpResult refused6 = prober.probe(Checks.tcp("::1", closed, PortSpec.Expect.LISTENING, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.REFUSED, refused6.outcome(), "positive control: " + refused6);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void closesWithResetSoNothingLingersInTimeWait() throws Exception {
        MultiThreadIoEventLoopGroup group = Transport.EPOLL.newGroup(1, "t");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpConnectProber prober = new TcpConnectProber(group, Transport.EPOLL);
            for (int i = 0; i < 20; i++) {
                TcpResult r = prober.probe(
                                Checks.tcp("127.0.0.1", server.getLocalPort(), PortSpec.Expect.LISTENING, TIMEOUT))
                        .get(5, TimeUnit.SECONDS);
                assertEquals(TcpOutcome.OPEN, r.outcome());
                server.accept().close();
            }
            String timeWait = Proc.run(
                    "ss",
                    "-tanH",
                    "state",
                    "time-wait",
                    "( dport = :" + server.getLocalPort() + " or sport = :" + server.getLocalPort() + " )");
            assertEquals("", timeWait.trim(), "RST close leaves no TIME_WAIT on either side");
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closedPortIsRefusedAndAHealthyPathWhereReachableIsEnough(Transport transport) throws Exception {
        int port = FreePorts.tcp();
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try {
            TcpConnectProber prober = new TcpConnectProber(group, transport);
            TcpResult listening = prober.probe(Checks.tcp("127.0.0.1", port, PortSpec.Expect.LISTENING, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            TcpResult reachable = prober.probe(Checks.tcp("127.0.0.1", port, PortSpec.Expect.REACHABLE, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.REFUSED, listening.outcome(), listening.toString());
            assertEquals(Errno.ECONNREFUSED, listening.errno());
            assertTrue(
                    !listening.pathUp() && reachable.pathUp(), "refused proves the path only where expect=reachable");
            assertTrue(listening.latencySeconds() > 0);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void droppedSynIsATimeoutAtTheDeadline(Transport transport) throws Exception {
        int port = 4567;
        ns.dropTcp(port);
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try {
            long start = System.nanoTime();
            TcpResult r = new TcpConnectProber(group, transport)
                    .probe(Checks.tcp(ns.address(), port, PortSpec.Expect.LISTENING, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(TcpOutcome.TIMEOUT, r.outcome(), r.toString());
            assertTrue(
                    tookMillis >= TIMEOUT.toMillis() - 5 && tookMillis < TIMEOUT.toMillis() + 500,
                    "took " + tookMillis + " ms");
            assertTrue(Double.isNaN(r.latencySeconds()));
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void icmpHostUnreachableIsUnreachable(Transport transport) throws Exception {
        int port = 4568;
        ns.rejectTcpUnreachable(port);
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try {
            TcpResult r = new TcpConnectProber(group, transport)
                    .probe(Checks.tcp(ns.address(), port, PortSpec.Expect.REACHABLE, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.UNREACHABLE, r.outcome(), r.toString());
            assertEquals(Errno.EHOSTUNREACH, r.errno());
            assertTrue(!r.pathUp());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void resetFromAFirewallIsRefused() throws Exception {
        int port = 4444;
        ns.rejectTcpWithReset(port);
        MultiThreadIoEventLoopGroup group = Transport.EPOLL.newGroup(1, "t");
        try {
            TcpResult r = new TcpConnectProber(group, Transport.EPOLL)
                    .probe(Checks.tcp(ns.address(), port, PortSpec.Expect.REACHABLE, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.REFUSED, r.outcome(), r.toString());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * netty raises the same bare NoRouteToHostException for ENETUNREACH and EHOSTUNREACH: no route
     * at all and an unreachable route must still come out apart, on both transports. Neither sends
     * a packet (the kernel refuses the connect at its route lookup).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void noRouteIsNetworkUnreachableAndAnUnreachableRouteIsHostUnreachable(Transport transport) throws Exception {
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try {
            TcpConnectProber prober = new TcpConnectProber(group, transport);
            TcpResult noRoute = prober.probe(
                            Checks.tcp(ns.noRouteV4().getHostAddress(), 4567, PortSpec.Expect.LISTENING, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            TcpResult unreachable = prober.probe(
                            Checks.tcp(ns.unreachableV4().getHostAddress(), 4567, PortSpec.Expect.LISTENING, TIMEOUT))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.UNREACHABLE, noRoute.outcome(), noRoute.toString());
            assertEquals(Errno.ENETUNREACH, noRoute.errno(), noRoute.toString());
            assertEquals("ENETUNREACH", noRoute.detail());
            assertEquals(TcpOutcome.UNREACHABLE, unreachable.outcome(), unreachable.toString());
            assertEquals(Errno.EHOSTUNREACH, unreachable.errno(), "the control: " + unreachable);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** Where netty carries the kernel's errno (its native exception, its message format), the errno alone decides. */
    @Test
    void theErrnoDecidesWhereNettyCarriesIt() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 1);
        record Case(int errno, TcpOutcome outcome) {}
        for (Case c : List.of(
                new Case(Errno.ECONNREFUSED, TcpOutcome.REFUSED),
                new Case(Errno.ETIMEDOUT, TcpOutcome.TIMEOUT),
                new Case(Errno.EHOSTUNREACH, TcpOutcome.UNREACHABLE),
                new Case(Errno.ENETUNREACH, TcpOutcome.UNREACHABLE),
                new Case(Errno.ECONNRESET, TcpOutcome.RESET),
                new Case(24, TcpOutcome.ERROR))) {
            var nativeFailure =
                    ConnectFailureClassifier.classify(new Errors.NativeIoException("connect", -c.errno()), any);
            assertEquals(c.outcome(), nativeFailure.outcome(), "errno " + c.errno());
            assertEquals(c.errno(), nativeFailure.errno());
            // a message that says otherwise does not matter: the errno in netty's format decides
            var message = ConnectFailureClassifier.classify(
                    new ConnectException("finishConnect(..) failed with error(-" + c.errno() + "): Connection refused"),
                    any);
            assertEquals(c.outcome(), message.outcome(), "errno " + c.errno() + " in the message");
            assertEquals(c.errno(), message.errno());
        }
    }

    /** Without an errno (the NIO transport, the JDK's own exceptions) the exception's type and message decide. */
    @Test
    void jdkExceptionsFallBackToTheirTypeAndMessage() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 1);
        assertEquals(
                Errno.EHOSTUNREACH,
                ConnectFailureClassifier.classify(new NoRouteToHostException("No route to host"), any)
                        .errno());
        assertEquals(
                Errno.ENETUNREACH,
                ConnectFailureClassifier.classify(new SocketException("Network is unreachable"), any)
                        .errno());
        assertEquals(
                Errno.ECONNREFUSED,
                ConnectFailureClassifier.classify(new ConnectException("Connection refused"), any)
                        .errno());
        assertEquals(
                Errno.ECONNRESET,
                ConnectFailureClassifier.classify(new ConnectException("Connection reset"), any)
                        .errno());
        assertEquals(
                TcpOutcome.TIMEOUT,
                ConnectFailureClassifier.classify(new ConnectTimeoutException("x"), any)
                        .outcome());
        assertEquals(
                TcpOutcome.ERROR,
                ConnectFailureClassifier.classify(new IOException("EMFILE?"), any)
                        .outcome());
        // a bare NoRouteToHostException (netty's) to an address with a route: the host, not the network
        assertEquals(
                Errno.EHOSTUNREACH,
                ConnectFailureClassifier.classify(new NoRouteToHostException(), any)
                        .errno());
    }
}
