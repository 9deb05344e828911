package io.pxcprobe.plan;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.target.Member;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A TCP path check of one member's port. The port's mode is the effective one ({@code connect} or
 * {@code syn}), never {@code auto}: the agent settles {@code auto} once at start-up.
 */
public record TcpCheck(Member member, PortSpec port) implements Check {

    @Override
    public String key() {
        return "tcp/" + member.key() + "/" + port.name();
    }

    @Override
    public Duration interval() {
        return port.interval();
    }

    @Override
    public Duration timeout() {
        return port.timeout();
    }

    @Override
    public String kind() {
        return "tcp";
    }

    /**
     * The same path probed the same way: the address, port number, mode and expectation. The pod's
     * readiness and node are no part of it, so a pod turning Ready keeps its latest result.
     */
    @Override
    public boolean sameProbeAs(Check other) {
        return other instanceof TcpCheck t
                && t.key().equals(key())
                && t.remote().equals(remote())
                && t.mode() == mode()
                && t.port().expect() == port().expect();
    }

    public TcpMode mode() {
        return port.mode();
    }

    public InetSocketAddress remote() {
        return new InetSocketAddress(member.address(), port.port());
    }
}
