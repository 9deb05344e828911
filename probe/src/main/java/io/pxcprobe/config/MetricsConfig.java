package io.pxcprobe.config;

/** How the per-check latency histograms are exported: the setting that decides most of an agent's series. */
public record MetricsConfig(Histograms histograms) {
    public static final MetricsConfig DEFAULT = new MetricsConfig(Histograms.CLASSIC);

    public enum Histograms {
        /** Buckets with fixed bounds: a series per bound, plus +Inf, sum and count. */
        CLASSIC,
        /** One native-histogram series, in the protobuf format; text scrapers get only its count and sum. */
        NATIVE,
        /** No latency series at all. */
        NONE
    }
}
