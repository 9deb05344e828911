package io.pxcprobe.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.config.MetricsConfig.Histograms;
import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The per-check series of every kind: outcomes, up state and latency, as each kind's
 * {@code SeriesSpec} names them. Series exist only for checks in the current plan; recording a
 * result costs two map lookups and a few adds under an uncontended monitor. Every outcome's counter
 * starts at 0, so the first timeout is an increase Prometheus sees. A result for a check that left
 * the plan finds no series and is dropped. Latencies are exported as {@code metrics.histograms}
 * says: classic, native or not at all. The series live in primitive arrays ({@link ProbeSeries})
 * and become client_java snapshots only during a scrape.
 */
public final class ProbeMetrics implements ResultListener {
    private final Map<Class<?>, KindSeries<?, ?>> byCheckType = new HashMap<>();
    private final List<SlicedFamily> families;

    public ProbeMetrics(PrometheusRegistry registry, Labels constLabels, Kinds kinds, Histograms histograms) {
        List<SeriesFamily> all = new ArrayList<>();
        for (CheckKind<?, ?> kind : kinds.all()) {
            KindSeries<?, ?> s = KindSeries.of(kind, histograms);
            byCheckType.put(kind.checkType(), s);
            all.addAll(s.families(constLabels));
        }
        all.forEach(registry::register);
        families = List.copyOf(all);
    }

    /** The per-check families, for a scrape that renders them a slice at a time; all are also in the registry. */
    public List<SlicedFamily> families() {
        return families;
    }

    @Override
    public void onResult(Result result) {
        KindSeries<?, ?> s = byCheckType.get(result.check().getClass());
        if (s != null) {
            s.record(result);
        }
    }

    @Override
    public void onPlan(ProbePlan plan) {
        List<Check> checks = plan.allChecks();
        byCheckType.values().forEach(s -> s.plan(checks));
    }

    /** One kind's series, typed so that its descriptor is called with its own checks and results. */
    private record KindSeries<C extends Check, R extends Result>(
            CheckKind<C, R> kind, CheckSeries<C> series, boolean withLatency) {

        static <C extends Check, R extends Result> KindSeries<C, R> of(CheckKind<C, R> kind, Histograms histograms) {
            var spec = kind.series();
            Supplier<LatencyHistogram> latency = LatencyHistogram.maker(histograms, spec.buckets());
            return new KindSeries<>(
                    kind,
                    new CheckSeries<>(
                            spec.labelNames().toArray(String[]::new),
                            kind::labelValues,
                            spec.outcomes().size(),
                            latency),
                    latency != null);
        }

        List<SeriesFamily> families(Labels constLabels) {
            var spec = kind.series();
            String[] labels = spec.labelNames().toArray(String[]::new);
            List<SeriesFamily> families = new ArrayList<>();
            families.add(SeriesFamily.outcomes(
                    spec.outcomesName(),
                    spec.outcomesHelp(),
                    constLabels,
                    labels,
                    spec.outcomes().toArray(String[]::new),
                    series::all));
            families.add(SeriesFamily.up(spec.upName(), spec.upHelp(), constLabels, labels, series::all));
            if (withLatency) {
                families.add(
                        SeriesFamily.latency(spec.latencyName(), spec.latencyHelp(), constLabels, labels, series::all));
            }
            return families;
        }

        void record(Result result) {
            R r = kind.resultType().cast(result);
            ProbeSeries s = series.get(kind.checkType().cast(result.check()));
            if (s != null) {
                s.record(kind.outcome(r), kind.healthy(r), kind.latencySeconds(r));
            }
        }

        void plan(List<Check> checks) {
            series.plan(Kinds.only(kind, checks));
        }
    }
}
