package io.pxcprobe.result;

import java.util.Locale;

/** How a TCP path check ended; the lower-case name is the {@code result} label. */
public enum TcpOutcome {
    /** The handshake completed: something listens and the path is open. */
    OPEN,
    /** RST to the SYN: the host answered, nothing listens. The path itself is open. */
    REFUSED,
    /** No answer before the deadline: a firewall or NetworkPolicy drops the packets, or the host is gone. */
    TIMEOUT,
    /** EHOSTUNREACH / ENETUNREACH: no route, or an ICMP unreachable came back. */
    UNREACHABLE,
    /**
     * The connection was reset while being set up, or (syn mode) the RST to the SYN came from
     * something on the path, not the target: a firewall's or policy's reject. The path is down.
     */
    RESET,
    /** Anything else (EADDRNOTAVAIL, EMFILE, ...); the errno is in the detail. */
    ERROR;

    /** Made once: results are recorded thousands of times a second and must not allocate. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
