package io.pxcprobe.probe.tcp;

import io.pxcprobe.probe.Errno;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.Locale;

/**
 * Tells ENETUNREACH from EHOSTUNREACH where netty does not: its native connect raises the same bare
 * NoRouteToHostException for both. A UDP connect() makes the kernel look up the route exactly as a
 * TCP connect does, and sends nothing; the JDK then raises NoRouteToHostException only for
 * EHOSTUNREACH and a SocketException "Network is unreachable" for ENETUNREACH.
 */
final class RouteLookup {
    private RouteLookup() {}

    /**
     * ENETUNREACH when this host has no route to {@code target}; EHOSTUNREACH when its route says
     * unreachable, or when a route exists and the failure came later from the path (a neighbour that
     * never answered ARP/ND, an ICMP host unreachable).
     */
    static int errnoFor(InetSocketAddress target) {
        try (DatagramChannel udp = DatagramChannel.open()) {
            udp.connect(target);
            return Errno.EHOSTUNREACH;
        } catch (IOException | RuntimeException e) {
            return e instanceof SocketException s && isNetworkUnreachable(s) ? Errno.ENETUNREACH : Errno.EHOSTUNREACH;
        }
    }

    static boolean isNetworkUnreachable(SocketException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("network is unreachable");
    }
}
