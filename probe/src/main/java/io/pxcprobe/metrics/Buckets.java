package io.pxcprobe.metrics;

/** Histogram bounds of the agent's own timings; each check kind declares its own in its {@code SeriesSpec}. */
final class Buckets {
    static final double[] LATENESS_SECONDS = {0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private Buckets() {}
}
