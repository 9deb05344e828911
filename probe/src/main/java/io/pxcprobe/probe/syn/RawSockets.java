package io.pxcprobe.probe.syn;

import com.sun.jna.LastErrorException;
import io.pxcprobe.probe.Errno;
import java.util.Locale;

/**
 * Whether this process can run SYN probes: it can open raw TCP sockets, which takes CAP_NET_RAW.
 * The agent asks once at start-up to settle {@code probes.tcp.mode: auto}.
 */
public final class RawSockets {

    /**
     * @param available whether raw IPv4 TCP sockets open here (the SYN prober can run)
     * @param ipv6      whether raw IPv6 sockets open too (else IPv6 targets get {@code error})
     * @param reason    why, for the start-up log
     */
    public record Support(boolean available, boolean ipv6, String reason) {}

    private RawSockets() {}

    public static boolean available() {
        return check().available();
    }

    public static Support check() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Support(false, false, "raw-socket probes need Linux, this is " + System.getProperty("os.name"));
        }
        int v4 = tryOpen(Libc.AF_INET);
        if (v4 == Integer.MIN_VALUE) {
            return new Support(false, false, "JNA cannot call libc here: " + nativeFailure);
        }
        if (v4 != 0) {
            return new Support(
                    false,
                    false,
                    "socket(AF_INET, SOCK_RAW, IPPROTO_TCP) failed with " + Errno.name(v4)
                            + (v4 == Errno.EPERM ? ": the process lacks CAP_NET_RAW" : ""));
        }
        int v6 = tryOpen(Libc.AF_INET6);
        if (v6 != 0) {
            return new Support(
                    true,
                    false,
                    "raw IPv4 sockets open (CAP_NET_RAW held); raw IPv6 sockets failed with " + Errno.name(v6));
        }
        return new Support(true, true, "raw IPv4 and IPv6 sockets open (CAP_NET_RAW held)");
    }

    private static volatile String nativeFailure = "";

    /** 0 if a raw TCP socket of this family opens, else the errno; MIN_VALUE if libc cannot be called. */
    private static int tryOpen(int family) {
        try {
            Libc.close(Libc.socket(family, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_TCP));
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        } catch (LinkageError e) {
            nativeFailure = e.toString();
            return Integer.MIN_VALUE;
        }
    }
}
