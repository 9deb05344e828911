package io.pxcprobe.probe.syn;

import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpResult;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** One probe from admission to its result. Its mutable fields belong to the I/O thread. */
final class PendingProbe {

    final TcpCheck check;
    final CompletableFuture<TcpResult> future;
    final long startedAtMillis;
    final long deadlineNanos;
    InetAddress remote;
    InetAddress source;
    int isn;
    long sentNanos;
    long sentEpochNanos;
    ProbeKey key;

    PendingProbe(TcpCheck check, CompletableFuture<TcpResult> future, long startedAtMillis, long deadlineNanos) {
        this.check = check;
        this.future = future;
        this.startedAtMillis = startedAtMillis;
        this.deadlineNanos = deadlineNanos;
    }

    /** A probe's identity: the remote end and its ISN (our address and port are checked apart). */
    record ProbeKey(InetAddress remote, int remotePort, int isn) {}
}
