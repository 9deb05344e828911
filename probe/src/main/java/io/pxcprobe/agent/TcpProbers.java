package io.pxcprobe.agent;

import io.netty.channel.EventLoopGroup;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.probe.tcp.TcpConnectProber;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.net.Transport;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The TCP prober of each mode. The connect prober is always open; the SYN prober opens the first
 * time a configuration needs it (at start or on a reload) and then stays open. A check is only
 * ever run by the prober of its own mode, so what {@code /targets} and {@code /probe} name is what ran.
 */
final class TcpProbers implements AutoCloseable {
    private final TcpModes modes;
    private final EventLoopGroup group;
    private final Map<TcpMode, Prober<TcpCheck, TcpResult>> byMode = new EnumMap<>(TcpMode.class);

    TcpProbers(TcpModes modes, EventLoopGroup group, Transport transport) {
        this.modes = modes;
        this.group = group;
        byMode.put(TcpMode.CONNECT, new TcpConnectProber(group, transport));
    }

    /** Opens a prober for each of {@code effective} modes not open yet; throws with the reason when one cannot. */
    synchronized void openFor(Collection<TcpMode> effective) {
        for (TcpMode m : effective) {
            if (!byMode.containsKey(m)) {
                if (m != TcpMode.SYN) {
                    throw new IllegalStateException("no prober for mode " + m.label());
                }
                byMode.put(m, modes.openSyn(group));
            }
        }
    }

    CompletableFuture<TcpResult> probe(TcpCheck check) {
        Prober<TcpCheck, TcpResult> p;
        synchronized (this) {
            p = byMode.get(check.mode());
        }
        if (p == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no " + check.mode().label() + " prober is open"));
        }
        return p.probe(check);
    }

    @Override
    public synchronized void close() {
        byMode.values().forEach(Prober::close);
    }
}
