package io.pxcprobe.probe.syn;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.target.Member;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

/** TcpChecks of a test target. */
final class Checks {

    private Checks() {}

    static TcpCheck syn(InetAddress address, int port, Duration timeout) {
        Member member = new Member("test", "c1", "c1-pxc-0", address, "node-a", true, Map.of());
        PortSpec spec =
                new PortSpec("gcomm", port, PortSpec.Expect.LISTENING, Duration.ofSeconds(5), timeout, TcpMode.SYN);
        return new TcpCheck(member, spec);
    }
}
