package io.pxcprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.NativeHistogramBucket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeLatencyTest {
    @Test
    void aPowerOfTwoIsTheUpperBoundOfItsBucket() {
        assertEquals(0, NativeLatency.index(1.0));
        assertEquals(8, NativeLatency.index(2.0));
        assertEquals(-80, NativeLatency.index(Math.scalb(1.0, -10)));
        assertEquals(1, NativeLatency.index(Math.nextUp(1.0)));
        assertEquals(8, NativeLatency.index(Math.nextDown(2.0)));
    }

    @Test
    void everyLatencyLiesInItsBucketAndTheBucketIsAtMostNinePercentWide() {
        for (double v = 1e-6; v < 100; v *= 1.013) {
            int i = NativeLatency.index(v);
            double upper = Math.pow(2, i / 8.0);
            double lower = Math.pow(2, (i - 1) / 8.0);
            assertTrue(v <= upper * (1 + 1e-12) && v > lower * (1 - 1e-12), v + " not in bucket " + i);
            assertTrue(upper / lower < 1.091);
        }
    }

    @Test
    void countsSumAndZeroBucketMatchWhatWasObserved() {
        NativeLatency h = new NativeLatency();
        h.observe(0.0003);
        h.observe(0.0003);
        h.observe(0.002); // above the first: the array grows upwards
        h.observe(0.00001); // below it: the array grows downwards
        h.observe(0.0); // a latency of 0 counts in the zero bucket
        HistogramDataPointSnapshot p = h.point(Labels.EMPTY, 0);
        assertEquals(NativeLatency.SCHEMA, p.getNativeSchema());
        assertEquals(1, p.getNativeZeroCount());
        assertEquals(5, p.getCount());
        assertEquals(0.00261, p.getSum(), 1e-12);
        List<Integer> indexes = new ArrayList<>();
        long total = 0;
        for (NativeHistogramBucket b : p.getNativeBucketsForPositiveValues()) {
            indexes.add(b.getBucketIndex());
            total += b.getCount();
        }
        assertEquals(
                List.of(NativeLatency.index(0.00001), NativeLatency.index(0.0003), NativeLatency.index(0.002)),
                indexes,
                "only the buckets with counts, in order");
        assertEquals(4, total);
        assertTrue(!p.hasClassicHistogramData(), "no classic buckets beside the native ones");
    }

    @Test
    void theRangeIsBoundedWhateverIsObserved() {
        NativeLatency h = new NativeLatency();
        h.observe(1e-12); // below the zero threshold
        h.observe(1e-5);
        h.observe(1e9); // counted in the highest bucket
        h.observe(Double.MIN_VALUE);
        HistogramDataPointSnapshot p = h.point(Labels.EMPTY, 0);
        assertEquals(2, p.getNativeZeroCount());
        assertEquals(2, p.getNativeBucketsForPositiveValues().size());
        int highest = p.getNativeBucketsForPositiveValues().getBucketIndex(1);
        assertEquals(8 * 8, highest);
        assertTrue(highest - NativeLatency.index(1e-5) < NativeLatency.MAX_BUCKETS);
    }
}
