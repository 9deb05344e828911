package io.pxcprobe.http;

import java.util.Set;

/**
 * One path of the HTTP API: either a {@link BufferedEndpoint}, whose whole response fits in memory,
 * or a {@link StreamingEndpoint}, whose body is written in chunks off the event loop.
 */
public sealed interface Endpoint permits BufferedEndpoint, StreamingEndpoint {

    /** Methods allowed on this path; others get 405 with an Allow header. */
    default Set<String> methods() {
        return Set.of("GET", "HEAD");
    }
}
