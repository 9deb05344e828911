package io.pxcprobe.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.function.Supplier;

/** Fixed bounds: a counter per bucket in a primitive array, exported as {@code _bucket{le}} series. */
final class ClassicLatency implements LatencyHistogram {
    /** The bounds with +Inf appended, shared by every series of a family. */
    private final double[] bounds;
    /** Per bucket, not cumulative; the last one is +Inf. */
    private final long[] buckets;

    private double sum;

    private ClassicLatency(double[] bounds) {
        this.bounds = bounds;
        this.buckets = new long[bounds.length];
    }

    static Supplier<LatencyHistogram> maker(double[] upperBounds) {
        double[] bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
        bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        return () -> new ClassicLatency(bounds);
    }

    @Override
    public void observe(double seconds) {
        int i = 0;
        while (seconds > bounds[i]) {
            i++;
        }
        buckets[i]++;
        sum += seconds;
    }

    @Override
    public HistogramDataPointSnapshot point(Labels labels, long createdMillis) {
        return new HistogramDataPointSnapshot(
                ClassicHistogramBuckets.of(bounds, buckets.clone()), sum, labels, Exemplars.EMPTY, createdMillis);
    }
}
