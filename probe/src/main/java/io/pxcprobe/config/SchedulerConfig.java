package io.pxcprobe.config;

/** Bounds on the scheduler: at most {@code maxInFlight} probes outstanding at once. */
public record SchedulerConfig(int maxInFlight, double jitterFraction) {
}
