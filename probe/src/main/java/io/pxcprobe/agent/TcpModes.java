package io.pxcprobe.agent;

import io.netty.channel.EventLoopGroup;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.TcpResult;
import java.util.Map;

/**
 * Which TCP probe modes this process can run, settled once at start-up: {@code auto} becomes
 * {@code syn} where raw sockets are allowed (CAP_NET_RAW) and {@code connect} otherwise.
 */
public final class TcpModes {
    private final boolean synAvailable;
    private final String synUnavailableReason;
    private final SynSupport syn;

    /** What the SYN mode needs from the agent; supplied by the syn prober package. */
    public interface SynSupport {
        boolean available();

        String unavailableReason();

        Prober<TcpCheck, TcpResult> open(EventLoopGroup group);
    }

    private TcpModes(SynSupport syn) {
        this.syn = syn;
        this.synAvailable = syn != null && syn.available();
        this.synUnavailableReason = syn == null ? "the SYN prober is not built in" : syn.unavailableReason();
    }

    public static TcpModes detect() {
        return new TcpModes(SynModes.support());
    }

    public static TcpModes connectOnly() {
        return new TcpModes(null);
    }

    public static TcpModes with(SynSupport syn) {
        return new TcpModes(syn);
    }

    public TcpMode settle(TcpMode configured) {
        return switch (configured) {
            case CONNECT -> TcpMode.CONNECT;
            case SYN -> {
                if (!synAvailable) {
                    throw new IllegalStateException("probes.tcp.mode syn is not possible here: " + synUnavailableReason
                            + " (use mode auto to fall back to connect)");
                }
                yield TcpMode.SYN;
            }
            case AUTO -> synAvailable ? TcpMode.SYN : TcpMode.CONNECT;
        };
    }

    /** Appended to the start-up line, saying why {@code auto} chose what it chose. */
    String explanation() {
        return synAvailable ? "" : " (syn unavailable: " + synUnavailableReason + ")";
    }

    Map<TcpMode, Prober<TcpCheck, TcpResult>> extraProbers(EventLoopGroup group) {
        return synAvailable ? Map.of(TcpMode.SYN, syn.open(group)) : Map.of();
    }
}
