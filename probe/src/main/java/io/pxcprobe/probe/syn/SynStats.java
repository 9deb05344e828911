package io.pxcprobe.probe.syn;

/**
 * Counters of the SYN prober since start.
 *
 * @param sent     SYNs handed to the kernel
 * @param matched  replies that answered a pending probe
 * @param ignored  packets that reached our raw sockets but answered no pending probe (late, duplicate, foreign)
 * @param pending  probes sent and not yet answered or expired, now
 */
public record SynStats(long sent, long matched, long ignored, int pending) {}
