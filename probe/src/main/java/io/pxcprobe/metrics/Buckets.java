package io.pxcprobe.metrics;

/** Histogram bounds chosen for in-cluster round trips (100 us) up to the longest timeout worth seeing (5 s). */
final class Buckets {
    static final double[] HANDSHAKE_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    static final double[] DNS_SECONDS = {
        0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    static final double[] LATENESS_SECONDS = {
        0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private Buckets() {
    }
}
