package io.pxcprobe.kind;

import java.util.List;

/**
 * The per-check series of one kind: an outcome counter, an up gauge and a latency histogram.
 *
 * @param outcomes the {@code result} label values, in {@link CheckKind#outcome} order
 */
public record SeriesSpec(
        String outcomesName,
        String outcomesHelp,
        String upName,
        String upHelp,
        String latencyName,
        String latencyHelp,
        List<String> labelNames,
        List<String> outcomes,
        double[] buckets) {

    public SeriesSpec {
        labelNames = List.copyOf(labelNames);
        outcomes = List.copyOf(outcomes);
        buckets = buckets.clone();
    }

    @Override
    public double[] buckets() {
        return buckets.clone();
    }
}
