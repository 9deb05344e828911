package io.pxcprobe.metrics;

import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;

/**
 * A Prometheus native histogram at a fixed schema: bucket {@code i} holds the latencies in
 * (2^((i-1)/8), 2^(i/8)] seconds, each bucket about 9 % wider than the one below, so a quantile
 * is off by at most about 4.5 % at any latency. Only the buckets between the smallest and the
 * largest latency seen are kept, in one array: a path's latencies span a few octaves, so a
 * series holds tens of counters, and never more than {@link #MAX_BUCKETS}.
 */
final class NativeLatency implements LatencyHistogram {
    static final int SCHEMA = 3;
    /** Latencies at or below 2^-20 s (about 1 µs) count in the zero bucket. */
    static final double ZERO_THRESHOLD = Math.scalb(1.0, -20);

    private static final int PER_OCTAVE = 1 << SCHEMA;
    private static final int LOWEST = -20 * PER_OCTAVE + 1;
    /** The bucket up to 2^8 s; a longer latency counts there (no probe waits 4 minutes). */
    private static final int HIGHEST = 8 * PER_OCTAVE;

    static final int MAX_BUCKETS = HIGHEST - LOWEST + 1;

    private int first;
    private long[] counts = new long[0];
    private long zeroCount;
    private double sum;

    @Override
    public void observe(double seconds) {
        sum += seconds;
        if (!(seconds > ZERO_THRESHOLD)) {
            zeroCount++;
            return;
        }
        int i = Math.min(index(seconds), HIGHEST);
        if (counts.length == 0) {
            first = i;
            counts = new long[1];
        } else if (i < first) {
            long[] grown = new long[counts.length + first - i];
            System.arraycopy(counts, 0, grown, first - i, counts.length);
            counts = grown;
            first = i;
        } else if (i >= first + counts.length) {
            long[] grown = new long[i - first + 1];
            System.arraycopy(counts, 0, grown, 0, counts.length);
            counts = grown;
        }
        counts[i - first]++;
    }

    /** The bucket of a latency above the zero threshold: exact at powers of two, which bound the octaves. */
    static int index(double seconds) {
        int exponent = Math.getExponent(seconds);
        double fraction = seconds / Math.scalb(1.0, exponent); // in [1, 2)
        if (fraction == 1.0) {
            return exponent * PER_OCTAVE;
        }
        int within = (int) Math.ceil(Math.log(fraction) / Math.log(2) * PER_OCTAVE);
        return exponent * PER_OCTAVE + Math.max(1, Math.min(PER_OCTAVE, within));
    }

    @Override
    public HistogramDataPointSnapshot point(Labels labels, long createdMillis) {
        int used = 0;
        for (long c : counts) {
            if (c != 0) {
                used++;
            }
        }
        int[] indexes = new int[used];
        long[] values = new long[used];
        int k = 0;
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] != 0) {
                indexes[k] = first + j;
                values[k++] = counts[j];
            }
        }
        return new HistogramDataPointSnapshot(
                SCHEMA,
                zeroCount,
                ZERO_THRESHOLD,
                NativeHistogramBuckets.of(indexes, values),
                NativeHistogramBuckets.EMPTY,
                sum,
                labels,
                Exemplars.EMPTY,
                createdMillis);
    }
}
