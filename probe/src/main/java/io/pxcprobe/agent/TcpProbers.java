package io.pxcprobe.agent;

import io.netty.channel.EventLoopGroup;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.TcpResult;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The TCP probers open in this agent, one per mode, opened the first time a configuration needs the
 * mode (at start or on a reload) and then kept. A check is only ever run by the prober of its own
 * mode, so what {@code /targets} and {@code /probe} name is what ran.
 */
final class TcpProbers implements Prober<TcpCheck, TcpResult> {
    private final TcpModes modes;
    private final EventLoopGroup group;
    private final Transport transport;
    private final Map<TcpMode, Prober<TcpCheck, TcpResult>> open = new EnumMap<>(TcpMode.class);

    TcpProbers(TcpModes modes, EventLoopGroup group, Transport transport) {
        this.modes = modes;
        this.group = group;
        this.transport = transport;
    }

    /** Opens a prober for each of {@code effective} modes not open yet; throws with the reason when one cannot. */
    synchronized void openFor(Collection<TcpMode> effective) {
        for (TcpMode m : effective) {
            if (!open.containsKey(m)) {
                open.put(m, modes.open(m, group, transport));
            }
        }
    }

    @Override
    public CompletableFuture<TcpResult> probe(TcpCheck check) {
        Prober<TcpCheck, TcpResult> p;
        synchronized (this) {
            p = open.get(check.mode());
        }
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no " + check.mode().label() + " prober is open"));
        }
        return p.probe(check);
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Prober::close);
    }
}
