package io.pxcprobe.metrics;

/**
 * One check's series in primitive arrays: an outcome counter per outcome, the up state and a classic
 * latency histogram. About 400 bytes a check, where client_java's data points (a LongAdder per
 * bucket and per outcome, each with its own locks and maps) took 3.5 KiB: at 10,000 checks that is
 * the difference between 4 and 35 MiB of live heap. Results arrive from the event loop, the DNS
 * executor and on-demand probes; scrapes read from another thread. The monitor is uncontended
 * almost always, and it lets a scrape see whole results: a histogram's count always matches its buckets.
 */
final class ProbeSeries {
    private final String[] labelValues;
    private final long createdMillis;
    private final double[] upperBounds;
    private final long[] outcomes;
    /** Per bucket, not cumulative; the last one is +Inf. */
    private final long[] buckets;

    private double sum;
    private boolean up;

    ProbeSeries(String[] labelValues, int outcomeCount, double[] upperBounds, long createdMillis) {
        this.labelValues = labelValues;
        this.upperBounds = upperBounds;
        this.createdMillis = createdMillis;
        this.outcomes = new long[outcomeCount];
        this.buckets = new long[upperBounds.length + 1];
    }

    /** @param seconds the latency to observe, or NaN when the result has none */
    synchronized void record(int outcome, boolean pathUp, double seconds) {
        outcomes[outcome]++;
        up = pathUp;
        if (!Double.isNaN(seconds)) {
            buckets[bucketOf(seconds)]++;
            sum += seconds;
        }
    }

    private int bucketOf(double seconds) {
        int i = 0;
        while (i < upperBounds.length && seconds > upperBounds[i]) {
            i++;
        }
        return i;
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

    synchronized Latency latency() {
        return new Latency(buckets.clone(), sum);
    }

    /** A consistent copy of the histogram: counts per bucket (not cumulative, +Inf last) and their sum. */
    record Latency(long[] bucketCounts, double sum) {}
}
