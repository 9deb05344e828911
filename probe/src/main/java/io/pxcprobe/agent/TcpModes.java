package io.pxcprobe.agent;

import io.netty.channel.EventLoopGroup;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.TcpResult;
import java.util.function.Supplier;

/**
 * Which TCP probe modes this process can run, settled once at start-up: {@code auto} becomes
 * {@code syn} where raw sockets are allowed (CAP_NET_RAW) and {@code connect} otherwise.
 */
public final class TcpModes {
    private final Supplier<SynSupport> probe;
    private SynSupport syn;
    private boolean synAvailable;
    private String synUnavailableReason;
    private boolean checked;

    /** What the SYN mode needs from the agent; supplied by the syn prober package. */
    public interface SynSupport {
        boolean available();

        String unavailableReason();

        Prober<TcpCheck, TcpResult> open(EventLoopGroup group);
    }

    /** The raw-socket check loads JNA and opens a socket: done only once a mode asks for syn. */
    private TcpModes(Supplier<SynSupport> probe) {
        this.probe = probe;
    }

    private synchronized void check() {
        if (checked) {
            return;
        }
        checked = true;
        syn = probe.get();
        synAvailable = syn != null && syn.available();
        synUnavailableReason = syn == null ? "the SYN prober is not built in" : syn.unavailableReason();
    }

    public static TcpModes detect() {
        return new TcpModes(SynModes::support);
    }

    public static TcpModes connectOnly() {
        return new TcpModes(() -> null);
    }

    public static TcpModes with(SynSupport syn) {
        return new TcpModes(() -> syn);
    }

    public TcpMode settle(TcpMode configured) {
        if (configured != TcpMode.CONNECT) {
            check();
        }
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
    synchronized String explanation() {
        return !checked || synAvailable ? "" : " (syn unavailable: " + synUnavailableReason + ")";
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

    /** The SYN prober: it holds raw sockets and a thread, so it is opened only once some check needs it. */
    synchronized Prober<TcpCheck, TcpResult> openSyn(EventLoopGroup group) {
        check();
        if (!synAvailable) {
            throw new IllegalStateException("the SYN prober cannot run here: " + synUnavailableReason);
        }
        return syn.open(group);
    }
}
