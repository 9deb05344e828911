package io.pxcprobe.result;

import io.pxcprobe.plan.DnsCheck;
import java.util.List;

/**
 * The outcome of one DNS check.
 *
 * @param durationNanos   time to the reply, -1 without one
 * @param answer          the addresses (A/AAAA) or SRV targets of the reply, sorted
 * @param detail          a short human text (rcode, exception class); never a label
 */
public record DnsResult(
        DnsCheck check,
        DnsOutcome outcome,
        long durationNanos,
        List<String> answer,
        String detail,
        long startedAtMillis)
        implements Result {

    public DnsResult {
        answer = List.copyOf(answer);
    }

    public boolean ok() {
        return outcome == DnsOutcome.OK;
    }
}
