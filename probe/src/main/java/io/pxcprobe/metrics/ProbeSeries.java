package io.pxcprobe.metrics;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * One check's series in primitive arrays: an outcome counter per outcome, the up state and the
 * latency histogram (none with {@code metrics.histograms: none}). About 400 bytes a check with
 * classic buckets, where client_java's data points (a LongAdder per bucket and per outcome, each
 * with its own locks and maps) took 3.5 KiB: at 10,000 checks that is the difference between 4 and
 * 35 MiB of live heap. Results arrive from the event loop, the DNS executor and on-demand probes;
 * scrapes read from another thread. The monitor is uncontended almost always, and it lets a scrape
 * see whole results: a histogram's count always matches its buckets.
 */
final class ProbeSeries {
    private final String[] labelValues;
    private final long createdMillis;
    private final long[] outcomes;
    private final LatencyHistogram latency;

    private boolean up;

    /** @param latency the series' empty histogram, or null when latencies are not exported */
    ProbeSeries(String[] labelValues, int outcomeCount, LatencyHistogram latency, long createdMillis) {
        this.labelValues = labelValues;
        this.createdMillis = createdMillis;
        this.outcomes = new long[outcomeCount];
        this.latency = latency;
    }

    /** @param seconds the latency to observe, or NaN when the result has none */
    synchronized void record(int outcome, boolean pathUp, double seconds) {
        outcomes[outcome]++;
        up = pathUp;
        if (latency != null && !Double.isNaN(seconds)) {
            latency.observe(seconds);
        }
    }

    String[] labelValues() {
        return labelValues;
    }

    long createdMillis() {
        return createdMillis;
    }

    synchronized long[] outcomeCounts() {
        return outcomes.clone();
    }

    synchronized boolean up() {
        return up;
    }

    /** A consistent copy of the histogram, labelled; only for a family that exports latencies. */
    synchronized HistogramDataPointSnapshot latencyPoint(Labels labels) {
        return latency.point(labels, createdMillis);
    }
}
