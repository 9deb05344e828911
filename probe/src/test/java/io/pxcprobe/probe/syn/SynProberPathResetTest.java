package io.pxcprobe.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.testkit.Privileges;
import io.pxcprobe.testkit.RoutedNetNs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A router between the agent and its target answers SYNs to one port with a TCP reset, as a
 * firewall or NetworkPolicy reject does. In syn mode that RST arrives with another hop limit than
 * the target's SYN-ACKs and is {@code reset} (path down); the target's own closed port stays
 * {@code refused}. connect() sees ECONNREFUSED for both: the control that shows why syn mode is needed.
 */
class SynProberPathResetTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final int LISTENING = 4567;
    private static final int CLOSED = 4568;
    private static final int REJECTED_ON_PATH = 4444;

    private static RoutedNetNs net;
    private static SynProber prober;

    @BeforeAll
    static void setUp() throws Exception {
        Privileges.assumeRoot();
        net = RoutedNetNs.create();
        net.rejectOnPathWithReset(REJECTED_ON_PATH);
        net.startInTarget(
                "timeout",
                "300",
                "python3",
                "-c",
                "import socket,time\n"
                        + "s=socket.socket(socket.AF_INET6)\n"
                        + "s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\n"
                        + "s.bind(('::'," + LISTENING + "))\ns.listen(64)\ntime.sleep(300)\n");
        // connect() leaves the SYN prober's memory of SYN-ACKs empty, which the test's first step needs
        net.awaitListening(LISTENING);
        prober = new SynProber();
    }

    @AfterAll
    static void tearDown() {
        if (prober != null) {
            prober.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void anRstFromTheRouterIsResetAndTheTargetsOwnIsRefusedOnIpv4AndIpv6() throws Exception {
        for (InetAddress target : new InetAddress[] {net.targetV4(), net.targetV6()}) {
            TcpResult early = syn(target, REJECTED_ON_PATH);
            assertEquals(
                    TcpOutcome.REFUSED, early.outcome(), "before any SYN-ACK there is nothing to compare: " + early);
            assertTrue(early.detail().contains("no SYN-ACK"), early.detail());

            TcpResult open = syn(target, LISTENING);
            assertEquals(TcpOutcome.OPEN, open.outcome(), open.toString());

            TcpResult onPath = syn(target, REJECTED_ON_PATH);
            assertEquals(TcpOutcome.RESET, onPath.outcome(), target + ": " + onPath);
            assertTrue(
                    onPath.detail()
                            .contains("hop limit 64, SYN-ACKs from " + target.getHostAddress() + " arrive with 63"),
                    onPath.detail());
            assertTrue(
                    !onPath.pathUp() && onPath.connectNanos() < 0, "a reset on the path is no answer from the target");

            TcpResult closed = syn(target, CLOSED);
            assertEquals(TcpOutcome.REFUSED, closed.outcome(), target + ": " + closed);
            assertTrue(closed.detail().contains("as its SYN-ACKs"), closed.detail());

            try (ConnectMode connect = new ConnectMode()) {
                TcpResult c = connect.probe(new InetSocketAddress(target, REJECTED_ON_PATH), TIMEOUT);
                assertEquals(
                        TcpOutcome.REFUSED,
                        c.outcome(),
                        "control: connect() cannot tell the path's RST from the target's");
            }
        }
    }

    private static TcpResult syn(InetAddress address, int port) throws Exception {
        return prober.probe(Checks.syn(address, port, TIMEOUT)).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
}
