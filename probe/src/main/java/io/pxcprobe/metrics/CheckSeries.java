package io.pxcprobe.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The series of one kind of check (TCP or DNS), following the plan: a check keeps its series (and
 * its counts) across plans as long as its labels stay the same, and the series of a check that left
 * the plan are no longer exported. Lookups by check are lock-free reads of an immutable map.
 *
 * @param <C> the check type
 */
final class CheckSeries<C> {
    private final Function<C, String[]> labelValues;
    private final Comparator<ProbeSeries> exposition;
    private final int outcomeCount;
    private final Supplier<LatencyHistogram> latency;
    private volatile Map<C, ProbeSeries> byCheck = Map.of();
    private volatile List<ProbeSeries> all = List.of();

    /**
     * @param labelNames the names of the values {@code labelValues} gives, in that order: the series
     *                   are kept sorted by them in name order, the order a snapshot sorts its data
     *                   points in, so that sorting a scrape's snapshots finds them sorted already
     * @param latency makes each new series' histogram; null when latencies are not exported
     */
    CheckSeries(
            String[] labelNames,
            Function<C, String[]> labelValues,
            int outcomeCount,
            Supplier<LatencyHistogram> latency) {
        this.labelValues = labelValues;
        this.exposition = inNameOrder(labelNames);
        this.outcomeCount = outcomeCount;
        this.latency = latency;
    }

    /** The check's series, or null for a check not in the current plan. */
    ProbeSeries get(C check) {
        return byCheck.get(check);
    }

    List<ProbeSeries> all() {
        return all;
    }

    synchronized void plan(Collection<C> checks) {
        Map<List<String>, ProbeSeries> previous = new HashMap<>();
        for (ProbeSeries s : all) {
            previous.put(List.of(s.labelValues()), s);
        }
        Map<List<String>, ProbeSeries> kept = new HashMap<>();
        Map<C, ProbeSeries> next = new HashMap<>();
        long now = System.currentTimeMillis();
        for (C check : checks) {
            String[] values = labelValues.apply(check);
            ProbeSeries s = kept.computeIfAbsent(List.of(values), key -> {
                ProbeSeries old = previous.get(key);
                return old != null
                        ? old
                        : new ProbeSeries(values, outcomeCount, latency == null ? null : latency.get(), now);
            });
            next.put(check, s);
        }
        byCheck = Map.copyOf(next);
        List<ProbeSeries> sorted = new ArrayList<>(kept.values());
        sorted.sort(exposition);
        all = List.copyOf(sorted);
    }

    private static Comparator<ProbeSeries> inNameOrder(String[] labelNames) {
        int[] byName = LabelOrder.sortedIndexes(labelNames);
        return (a, b) -> {
            for (int i : byName) {
                int c = a.labelValues()[i].compareTo(b.labelValues()[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }
}
