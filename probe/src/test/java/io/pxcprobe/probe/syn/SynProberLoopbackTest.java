package io.pxcprobe.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.probe.Errno;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.Privileges;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SYN probes of loopback listeners and closed ports, IPv4 and IPv6, against connect()'s verdict. */
class SynProberLoopbackTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static SynProber prober;

    @BeforeAll
    static void open() {
        Privileges.assumeRoot();
        prober = new SynProber();
    }

    @AfterAll
    static void close() {
        if (prober != null) {
            prober.close();
        }
    }

    @Test
    void listenerIsOpenWithoutReachingTheAcceptQueue() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            InetAddress address = InetAddress.getByName(host);
            try (ServerSocket listener = new ServerSocket(0, 50, address)) {
                TcpResult result = probe(address, listener.getLocalPort());
                assertEquals(TcpOutcome.OPEN, result.outcome(), host + ": " + result);
                assertTrue(result.kernelRttMicros() >= 0 && result.connectNanos() > 0, result.toString());
                assertTrue(result.connectNanos() < TIMEOUT.toNanos(), result.toString());
                // the half-open probe never completed a handshake: nothing waits in the accept queue
                listener.setSoTimeout(300);
                assertAcceptTimesOut(listener);
                try (ConnectMode connect = new ConnectMode()) {
                    assertEquals(
                            TcpOutcome.OPEN,
                            connect.probe(new InetSocketAddress(address, listener.getLocalPort()), TIMEOUT)
                                    .outcome());
                }
            }
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            InetAddress address = InetAddress.getByName(host);
            int port = FreePorts.tcp(host);
            TcpResult result = probe(address, port);
            assertEquals(TcpOutcome.REFUSED, result.outcome(), host + ": " + result);
            assertEquals(Errno.ECONNREFUSED, result.errno());
            try (ConnectMode connect = new ConnectMode()) {
                TcpResult reference = connect.probe(new InetSocketAddress(address, port), TIMEOUT);
                assertEquals(reference.outcome(), result.outcome());
                assertEquals(reference.errno(), result.errno());
            }
        }
    }

    @Test
    void ourSourcePortIsHeldForBothFamilies() {
        int port = prober.sourcePort();
        for (String host : new String[] {"0.0.0.0", "::"}) {
            try (ServerSocket other = new ServerSocket()) {
                other.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                throw new AssertionError("bound the prober's source port again on " + host);
            } catch (BindException expected) {
                // EADDRINUSE: no other socket can take the port
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static TcpResult probe(InetAddress address, int port) throws Exception {
        return prober.probe(Checks.syn(address, port, TIMEOUT)).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    private static void assertAcceptTimesOut(ServerSocket listener) throws IOException {
        try {
            listener.accept().close();
            throw new AssertionError("the SYN probe left a connection in the accept queue");
        } catch (SocketTimeoutException expected) {
            // nothing was queued
        }
    }
}
