package io.pxcprobe.plan;

import java.time.Duration;

/** One scheduled check: a TCP path or a DNS name, run every {@link #interval()} within {@link #timeout()}. */
public sealed interface Check permits TcpCheck, DnsCheck {

    /** Stable identity across plan rebuilds; a check whose key survives keeps its schedule. */
    String key();

    Duration interval();

    Duration timeout();

    /** {@code tcp} or {@code dns}: the {@code kind} label of scheduler metrics. */
    String kind();

    /**
     * Whether {@code other} probes the same thing in the same way, its schedule aside: its latest
     * result still speaks for this check (the probe budget or an edit changed only the interval).
     */
    boolean sameProbeAs(Check other);
}
