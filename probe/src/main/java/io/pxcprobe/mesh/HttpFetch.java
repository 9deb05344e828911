package io.pxcprobe.mesh;

import io.pxcprobe.mesh.PeerReply.Failure;

/** The outcome of one GET by {@link PeerClient}. */
public sealed interface HttpFetch {

    long elapsedNanos();

    /** A whole response, at most the size limit. */
    record Response(int status, byte[] body, long elapsedNanos) implements HttpFetch {}

    record Failed(Failure failure, String detail, long elapsedNanos) implements HttpFetch {}
}
