package io.pxcprobe.http;

import java.time.Duration;

/**
 * What one client may hold of the HTTP port. A client that trickles bytes, never sends a request or
 * stops reading loses its connection at a deadline of its own; a few client addresses can never take
 * every connection, so the kubelet's probes and the scrapes always find one.
 *
 * @param maxConnections    connections at once, all clients together
 * @param maxPerClient      connections at once from one client address
 * @param requestDeadline   a whole request must arrive within this of the connection opening, or of
 *                          its first byte on a kept-alive connection; bytes trickled in do not extend it
 * @param keepAliveIdle     how long a kept-alive connection may wait for its next request
 * @param responseDeadline  a whole response must be out within this once its first byte is written
 */
public record HttpLimits(
        int maxConnections,
        int maxPerClient,
        Duration requestDeadline,
        Duration keepAliveIdle,
        Duration responseDeadline) {

    public static final HttpLimits DEFAULTS =
            new HttpLimits(256, 8, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public HttpLimits {
        if (maxConnections < 1 || maxPerClient < 1 || maxPerClient > maxConnections) {
            throw new IllegalArgumentException("connection limits must be 1 <= per client <= total");
        }
    }
}
