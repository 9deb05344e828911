package io.pxcprobe.probe.syn;

import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Errno;
import io.pxcprobe.probe.tcp.ConnectFailureClassifier;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;

/** The {@link TcpResult}s of the SYN prober, shaped as the connect prober shapes its own. */
final class SynResults {

    private SynResults() {}

    /** @param synAckHopLimit the hop limit SYN-ACKs from the same address arrive with, or -1 */
    static TcpResult answered(PendingProbe probe, Reply reply, long rttNanos, int synAckHopLimit) {
        return switch (reply.kind()) {
            case SYN_ACK ->
                new TcpResult(
                        probe.check,
                        TcpOutcome.OPEN,
                        rttNanos,
                        rttNanos / 1000,
                        0,
                        reply.detail(),
                        probe.startedAtMillis);
            case RST -> rst(probe, reply, rttNanos, synAckHopLimit);
            case ICMP_ERROR -> {
                TcpOutcome outcome =
                        ConnectFailureClassifier.fromErrno(reply.errno()).outcome();
                // connect() reports a refusal by ICMP with its latency like one by RST
                long rtt = outcome == TcpOutcome.REFUSED ? rttNanos : -1;
                yield new TcpResult(
                        probe.check,
                        outcome,
                        rtt,
                        rtt < 0 ? -1 : rtt / 1000,
                        reply.errno(),
                        reply.detail(),
                        probe.startedAtMillis);
            }
        };
    }

    private static TcpResult rst(PendingProbe probe, Reply reply, long rttNanos, int synAckHopLimit) {
        int hop = reply.hopLimit();
        String address = reply.remote().getHostAddress();
        if (hop >= 0 && synAckHopLimit >= 0 && hop != synAckHopLimit) {
            // a reset is not an answer from the target: no latency, the path counts as down
            return new TcpResult(
                    probe.check,
                    TcpOutcome.RESET,
                    -1,
                    -1,
                    Errno.ECONNREFUSED,
                    "RST with hop limit " + hop + ", SYN-ACKs from " + address + " arrive with " + synAckHopLimit
                            + ": sent by something on the path (a firewall or policy reject), not the target",
                    probe.startedAtMillis);
        }
        String compared = hop < 0
                ? ""
                : synAckHopLimit < 0
                        ? " (hop limit " + hop + "; no SYN-ACK from " + address + " yet to compare)"
                        : " (hop limit " + hop + ", as its SYN-ACKs)";
        return new TcpResult(
                probe.check,
                TcpOutcome.REFUSED,
                rttNanos,
                rttNanos / 1000,
                Errno.ECONNREFUSED,
                reply.detail() + compared,
                probe.startedAtMillis);
    }

    static TcpResult timeout(PendingProbe probe) {
        return new TcpResult(
                probe.check,
                TcpOutcome.TIMEOUT,
                -1,
                -1,
                0,
                "no reply within " + probe.check.timeout().toMillis() + " ms",
                probe.startedAtMillis);
    }

    /** A failure of a syscall (route lookup, sendto): classified by its errno as connect() would be. */
    static TcpResult failed(TcpCheck check, long startedAtMillis, int errno, String call) {
        return new TcpResult(
                check,
                ConnectFailureClassifier.fromErrno(errno).outcome(),
                -1,
                -1,
                errno,
                call + ": " + Errno.name(errno),
                startedAtMillis);
    }

    static TcpResult error(TcpCheck check, long startedAtMillis, String detail) {
        return new TcpResult(check, TcpOutcome.ERROR, -1, -1, 0, detail, startedAtMillis);
    }
}
