package io.pxcprobe.metrics;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.config.MetricsConfig.Histograms;
import java.util.function.Supplier;

/**
 * One series' latency distribution in the shape {@code metrics.histograms} asks for. Not
 * thread-safe: its {@link ProbeSeries} calls it under its own monitor.
 */
interface LatencyHistogram {
    void observe(double seconds);

    HistogramDataPointSnapshot point(Labels labels, long createdMillis);

    /** A maker of one empty histogram per series, or null for {@code none}: no latency series at all. */
    static Supplier<LatencyHistogram> maker(Histograms setting, double[] classicBounds) {
        return switch (setting) {
            case CLASSIC -> ClassicLatency.maker(classicBounds);
            case NATIVE -> NativeLatency::new;
            case NONE -> null;
        };
    }
}
