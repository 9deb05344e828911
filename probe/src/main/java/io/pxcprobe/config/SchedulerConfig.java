package io.pxcprobe.config;

/**
 * Bounds on the scheduler: at most {@code maxInFlight} probes outstanding at once, and at most
 * {@code maxChecks} checks in the plan (0: follow the heap, see {@code plan.CheckLimit}).
 */
public record SchedulerConfig(int maxInFlight, double jitterFraction, int maxChecks) {}
