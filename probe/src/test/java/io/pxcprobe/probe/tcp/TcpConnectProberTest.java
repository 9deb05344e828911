package io.pxcprobe.probe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.probe.Errno;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testing.NetNs;
import io.pxcprobe.testing.Proc;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every outcome produced for real: loopback for open/refused, a test namespace with iptables for the rest. */
class TcpConnectProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static NetNs ns;

    @BeforeAll
    static void namespace() {
        ns = NetNs.create();
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
            assertTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll must load on Linux x86_64");
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
            try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
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

    @Test
    void closesWithResetSoNothingLingersInTimeWait() throws Exception {
        MultiThreadIoEventLoopGroup group = Transport.EPOLL.newGroup(1, "t");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpConnectProber prober = new TcpConnectProber(group, Transport.EPOLL);
            for (int i = 0; i < 20; i++) {
                TcpResult r = prober.probe(Checks.tcp("127.0.0.1", server.getLocalPort(), PortSpec.Expect.LISTENING, TIMEOUT))
                        .get(5, TimeUnit.SECONDS);
                assertEquals(TcpOutcome.OPEN, r.outcome());
                server.accept().close();
            }
            String timeWait = Proc.run("ss", "-tanH", "state", "time-wait", "( dport = :" + server.getLocalPort()
                    + " or sport = :" + server.getLocalPort() + " )");
            assertEquals("", timeWait.trim(), "RST close leaves no TIME_WAIT on either side");
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closedPortIsRefusedAndAHealthyPathWhereReachableIsEnough(Transport transport) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MultiThreadIoEventLoopGroup group = transport.newGroup(1, "t");
        try {
            TcpConnectProber prober = new TcpConnectProber(group, transport);
            TcpResult listening = prober.probe(Checks.tcp("127.0.0.1", port, PortSpec.Expect.LISTENING, TIMEOUT)).get(5, TimeUnit.SECONDS);
            TcpResult reachable = prober.probe(Checks.tcp("127.0.0.1", port, PortSpec.Expect.REACHABLE, TIMEOUT)).get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.REFUSED, listening.outcome(), listening.toString());
            assertEquals(Errno.ECONNREFUSED, listening.errno());
            assertTrue(!listening.pathUp() && reachable.pathUp(), "refused proves the path only where expect=reachable");
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
                    .probe(Checks.tcp(ns.address(), port, PortSpec.Expect.LISTENING, TIMEOUT)).get(5, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(TcpOutcome.TIMEOUT, r.outcome(), r.toString());
            assertTrue(tookMillis >= TIMEOUT.toMillis() - 5 && tookMillis < TIMEOUT.toMillis() + 500, "took " + tookMillis + " ms");
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
                    .probe(Checks.tcp(ns.address(), port, PortSpec.Expect.REACHABLE, TIMEOUT)).get(5, TimeUnit.SECONDS);
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
                    .probe(Checks.tcp(ns.address(), port, PortSpec.Expect.REACHABLE, TIMEOUT)).get(5, TimeUnit.SECONDS);
            assertEquals(TcpOutcome.REFUSED, r.outcome(), r.toString());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void classifierReadsErrnoFromNettyMessagesAndJdkExceptions() {
        assertEquals(TcpOutcome.UNREACHABLE, ConnectFailureClassifier.classify(
                new java.net.ConnectException("finishConnect(..) failed with error(-113): No route to host")).outcome());
        assertEquals(TcpOutcome.RESET, ConnectFailureClassifier.classify(
                new java.net.ConnectException("finishConnect(..) failed with error(-104): Connection reset by peer")).outcome());
        assertEquals(TcpOutcome.UNREACHABLE, ConnectFailureClassifier.classify(new java.net.NoRouteToHostException()).outcome());
        assertEquals(TcpOutcome.TIMEOUT, ConnectFailureClassifier.classify(new io.netty.channel.ConnectTimeoutException("x")).outcome());
        assertEquals(TcpOutcome.ERROR, ConnectFailureClassifier.classify(new IOException("EMFILE?")).outcome());
    }
}
