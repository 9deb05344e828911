package io.pxcprobe.result;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.plan.TcpCheck;

/**
 * The outcome of one TCP check.
 *
 * @param connectNanos     user-space time from connect() to its answer, -1 without one (timeout)
 * @param kernelRttMicros  the kernel's smoothed RTT (TCP_INFO) or the SYN to reply time of a SYN probe; -1 if not measured
 * @param errno            the errno the kernel reported, 0 for none
 * @param detail           a short human text (errno name, exception class); for logs and /targets, never a label
 * @param startedAtMillis  wall-clock start, for the age shown in /targets
 */
public record TcpResult(
        TcpCheck check,
        TcpOutcome outcome,
        long connectNanos,
        long kernelRttMicros,
        int errno,
        String detail,
        long startedAtMillis)
        implements Result {

    /** Whether this outcome proves the path for the port's expectation. */
    public boolean pathUp() {
        return outcome == TcpOutcome.OPEN
                || (outcome == TcpOutcome.REFUSED && check.port().expect() == PortSpec.Expect.REACHABLE);
    }

    /** Whether the target answered at all, so that a latency exists. */
    public boolean answered() {
        return outcome == TcpOutcome.OPEN || outcome == TcpOutcome.REFUSED;
    }

    /** Handshake latency in seconds: the kernel's RTT where measured, else the connect time; NaN if unanswered. */
    public double latencySeconds() {
        if (!answered()) {
            return Double.NaN;
        }
        if (kernelRttMicros > 0) {
            return kernelRttMicros / 1e6;
        }
        return connectNanos >= 0 ? connectNanos / 1e9 : Double.NaN;
    }
}
