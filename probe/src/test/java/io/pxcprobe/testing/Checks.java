package io.pxcprobe.testing;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.dns.DnsKind;
import io.pxcprobe.probe.tcp.TcpKind;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Checks built the way the plan builds them, for prober tests. */
public final class Checks {
    /** The kinds the agent registers, in its order. */
    public static final Kinds KINDS = new Kinds(List.of(new TcpKind(), new DnsKind()));

    private Checks() {}

    public static TcpCheck tcp(String address, int port, PortSpec.Expect expect, Duration timeout) {
        try {
            Member m = new Member("db", "c1", "c1-pxc-0", InetAddress.getByName(address), "node-x", true, Map.of());
            PortSpec spec = new PortSpec("gcomm", port, expect, Duration.ofSeconds(5), timeout, TcpMode.CONNECT);
            return new TcpCheck(m, spec);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static DnsCheck dns(
            String resolver, String name, RecordType type, DnsExpectation expected, Duration timeout) {
        DnsTarget t = new DnsTarget("db", "c1", "c1-pxc-0", NameKind.POD, name, type, expected);
        return new DnsCheck(t, ResolverSpec.parse(resolver), Duration.ofSeconds(10), timeout);
    }
}
