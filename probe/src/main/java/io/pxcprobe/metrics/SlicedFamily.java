package io.pxcprobe.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * A metric family with a series per target, which a scrape can render a slice of series at a time.
 * The whole family of 10,000 targets is 60,000 data points: built at once, its snapshot outlives
 * several young collections and is promoted, and every scrape then ends in a full collection.
 */
public interface SlicedFamily {
    /** The family's name as the registry knows it (a counter's without {@code _total}). */
    String prometheusName();

    /**
     * The family's current series in snapshots of at most {@code seriesPerSlice} series each, made
     * one at a time as the iteration goes; at least one, possibly empty (the writers then skip it).
     */
    Iterable<MetricSnapshot> slices(int seriesPerSlice);
}
