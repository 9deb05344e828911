package io.pxcprobe.probe.tcp;

import io.pxcprobe.kind.ResultSlot;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;

/**
 * The latest TCP result of one check, kept in fields rather than as the result object. A check's
 * slot lives as long as the check, so it is soon in the old generation; holding each new result
 * there would keep every result alive past young collections until the next one replaces it,
 * and at thousands of checks a second that steady stream is promoted and forces full collections.
 */
final class TcpResultSlot implements ResultSlot<TcpCheck, TcpResult> {
    private TcpOutcome outcome;
    private long connectNanos;
    private long kernelRttMicros;
    private int errno;
    private String detail;
    private long startedAtMillis;

    @Override
    public synchronized void set(TcpResult r) {
        outcome = r.outcome();
        connectNanos = r.connectNanos();
        kernelRttMicros = r.kernelRttMicros();
        errno = r.errno();
        detail = r.detail();
        startedAtMillis = r.startedAtMillis();
    }

    /** The result as it was recorded, or null before the first one. */
    @Override
    public synchronized TcpResult get(TcpCheck check) {
        return outcome == null
                ? null
                : new TcpResult(check, outcome, connectNanos, kernelRttMicros, errno, detail, startedAtMillis);
    }
}
