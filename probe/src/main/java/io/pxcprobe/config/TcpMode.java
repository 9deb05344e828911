package io.pxcprobe.config;

import java.util.Locale;

/**
 * How a TCP path is proven. {@code connect}: a full handshake closed at once with RST.
 * {@code syn}: a half-open probe from a raw socket that never reaches the server's accept queue.
 * {@code auto}: {@code syn} where the process holds CAP_NET_RAW, else {@code connect}.
 */
public enum TcpMode {
    CONNECT,
    SYN,
    AUTO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
