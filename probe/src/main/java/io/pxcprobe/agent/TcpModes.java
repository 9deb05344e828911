package io.pxcprobe.agent;

import io.netty.channel.EventLoopGroup;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.probe.syn.RawSockets;
import io.pxcprobe.probe.syn.SynProber;
import io.pxcprobe.probe.tcp.TcpConnectProber;
import io.pxcprobe.result.TcpResult;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The one map from TCP mode to its prober: whether this process can run each mode, and how to open
 * its prober. {@code auto} settles once to {@code syn} where raw sockets are allowed (CAP_NET_RAW)
 * and to {@code connect} otherwise.
 */
public final class TcpModes {

    /**
     * One mode.
     *
     * @param unavailability why the mode cannot run here, null when it can; asked once, and only when
     *                       a configuration names the mode (the raw-socket check loads JNA and opens a socket)
     */
    public record Mode(
            Supplier<String> unavailability, BiFunction<EventLoopGroup, Transport, Prober<TcpCheck, TcpResult>> open) {}

    private final Map<TcpMode, Mode> modes;
    private final Map<TcpMode, String> reasons = new EnumMap<>(TcpMode.class);

    private TcpModes(Map<TcpMode, Mode> modes) {
        this.modes = new EnumMap<>(modes);
    }

    /** Every mode this build has: connect always, syn where raw sockets are allowed. */
    public static TcpModes detect() {
        return new TcpModes(Map.of(
                TcpMode.CONNECT, new Mode(() -> null, TcpConnectProber::new),
                TcpMode.SYN, new Mode(TcpModes::rawSocketProblem, (group, transport) -> new SynProber())));
    }

    /** Connect only, whatever the process may do: for tests that must not depend on CAP_NET_RAW. */
    public static TcpModes connectOnly() {
        return new TcpModes(Map.of(TcpMode.CONNECT, new Mode(() -> null, TcpConnectProber::new)));
    }

    private static String rawSocketProblem() {
        RawSockets.Support raw = RawSockets.check();
        return raw.available() ? null : raw.reason();
    }

    /** Why {@code effective} cannot run here, null when it can. */
    private synchronized String unavailability(TcpMode effective) {
        Mode m = modes.get(effective);
        if (m == null) {
            return "the " + effective.label() + " prober is not offered here";
        }
        return reasons.computeIfAbsent(effective, k -> {
            String reason = m.unavailability().get();
            return reason == null ? "" : reason;
        });
    }

    private boolean runs(TcpMode effective) {
        return unavailability(effective).isEmpty();
    }

    public TcpMode settle(TcpMode configured) {
        return switch (configured) {
            case CONNECT -> TcpMode.CONNECT;
            case SYN -> {
                if (!runs(TcpMode.SYN)) {
                    throw new IllegalStateException("probes.tcp.mode syn is not possible here: "
                            + unavailability(TcpMode.SYN) + " (use mode auto to fall back to connect)");
                }
                yield TcpMode.SYN;
            }
            case AUTO -> runs(TcpMode.SYN) ? TcpMode.SYN : TcpMode.CONNECT;
        };
    }

    /** Why {@code configured} cannot run in this process, or null when it can; for the config loader. */
    public String problem(TcpMode configured) {
        try {
            settle(configured);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Appended to the start-up line, saying why {@code auto} chose connect when it did. */
    synchronized String explanation() {
        String syn = reasons.get(TcpMode.SYN);
        return syn == null || syn.isEmpty() ? "" : " (syn unavailable: " + syn + ")";
    }

    /** Opens the prober of an effective mode; throws with the reason when the mode cannot run here. */
    Prober<TcpCheck, TcpResult> open(TcpMode effective, EventLoopGroup group, Transport transport) {
        if (!runs(effective)) {
            throw new IllegalStateException(
                    "the " + effective.label() + " prober cannot run here: " + unavailability(effective));
        }
        return modes.get(effective).open().apply(group, transport);
    }
}
