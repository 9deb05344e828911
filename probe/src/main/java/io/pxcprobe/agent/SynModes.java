package io.pxcprobe.agent;

import io.netty.channel.EventLoopGroup;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.probe.syn.RawSockets;
import io.pxcprobe.probe.syn.SynProber;
import io.pxcprobe.result.TcpResult;

/** The one place the agent reaches into the SYN prober: whether raw sockets are allowed, and the prober. */
final class SynModes {
    private SynModes() {
    }

    static TcpModes.SynSupport support() {
        RawSockets.Support raw = RawSockets.check();
        return new TcpModes.SynSupport() {
            @Override
            public boolean available() {
                return raw.available();
            }

            @Override
            public String unavailableReason() {
                return raw.reason();
            }

            @Override
            public Prober<TcpCheck, TcpResult> open(EventLoopGroup group) {
                return new SynProber();
            }
        };
    }
}
