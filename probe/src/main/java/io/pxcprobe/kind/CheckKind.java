package io.pxcprobe.kind;

import io.pxcprobe.plan.Check;
import io.pxcprobe.result.Result;
import java.util.List;

/**
 * What the consumers of results know about one kind of check, kept in the kind's own package: its
 * series and their labels, its state-change log line, its {@code /targets} row and its
 * {@code /probe} line. Metrics, the latest-state store, the log and HTTP handle every kind through
 * this, so that a new kind is a package (prober and descriptor) plus one registration in the agent.
 *
 * @param <C> the kind's check
 * @param <R> the kind's result
 */
public interface CheckKind<C extends Check, R extends Result> {

    /** {@code tcp}, {@code dns}: the {@code kind} label, and the name of the kind's JSON arrays. */
    String name();

    Class<C> checkType();

    Class<R> resultType();

    /** Whose check it is, for the filters of {@code /targets} and {@code /probe}. */
    CheckScope scope(C check);

    /** The kind's per-check series: names, label names, outcomes and buckets. */
    SeriesSpec series();

    /** The values of {@link SeriesSpec#labelNames()}, in that order; bounded: never error text. */
    String[] labelValues(C check);

    /** The index of the result's outcome in {@link SeriesSpec#outcomes()}. */
    int outcome(R result);

    /** Whether the result proves what the check is for: the {@code _up} series and the log's level. */
    boolean healthy(R result);

    /** The latency to observe, NaN when the result has none. */
    double latencySeconds(R result);

    /** What the log line is about, e.g. {@code gcomm cluster1-pxc-1 (db/cluster1 10.0.0.5:4567)}. */
    String subject(C check);

    /** Why an outcome is bad, for the log (the errno, the rcode); empty when there is nothing to add. */
    String problem(R result);

    /** The heading of the kind's {@code /targets} table, e.g. {@code TCP paths}. */
    String title();

    /** The columns of the kind's {@code /targets} table, after SOURCE. */
    List<String> columns();

    /** One {@code /targets} row, one cell per column; {@code latest} is null while the check is pending. */
    String[] cells(C check, R latest, long nowMillis);

    /** One {@code /targets} JSON record (a record type: its fields are the schema); {@code latest} may be null. */
    Object row(C check, R latest, long nowMillis);

    /** One line of an ad hoc {@code /probe} report, without indentation or newline. */
    String reportLine(R result);

    /** One entry of an ad hoc {@code /probe} JSON report. */
    Object reportRow(R result);

    /** Where the latest-state store keeps one check's latest result. */
    default ResultSlot<C, R> newSlot() {
        return new ReferenceSlot<>();
    }

    /** The label of the result's outcome. */
    default String outcomeLabel(R result) {
        return series().outcomes().get(outcome(result));
    }
}
