package io.pxcprobe.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One metric family over the current {@link ProbeSeries}, registered in the PrometheusRegistry as a
 * client_java Collector: client_java's exposition writers (text, OpenMetrics, protobuf) render it,
 * and the registry can scrape it alone by name. Snapshots are built only while a scrape runs.
 */
abstract class SeriesFamily implements Collector, SlicedFamily {
    private final MetricMetadata metadata;
    private final MetricType type;
    private final String[] labelNames;
    private final String[] constValues;
    private final Supplier<List<ProbeSeries>> series;

    private SeriesFamily(
            MetricMetadata metadata,
            MetricType type,
            Labels constLabels,
            String[] labelNames,
            Supplier<List<ProbeSeries>> series) {
        this.metadata = metadata;
        this.type = type;
        this.series = series;
        int c = constLabels.size();
        this.labelNames = new String[c + labelNames.length];
        this.constValues = new String[c];
        for (int i = 0; i < c; i++) {
            this.labelNames[i] = constLabels.getName(i);
            this.constValues[i] = constLabels.getValue(i);
        }
        System.arraycopy(labelNames, 0, this.labelNames, c, labelNames.length);
    }

    /** A counter per outcome, labelled {@code result}; every outcome is exported from 0 on. */
    static SeriesFamily outcomes(
            String name,
            String help,
            Labels constLabels,
            String[] labelNames,
            String[] outcomeLabels,
            Supplier<List<ProbeSeries>> series) {
        return new SeriesFamily(
                new MetricMetadata(name, help), MetricType.COUNTER, constLabels, with(labelNames, "result"), series) {
            /** Outcomes in the order of their labels, as the snapshot sorts them. */
            private final int[] inLabelOrder = LabelOrder.sortedIndexes(outcomeLabels);

            @Override
            MetricSnapshot snapshot(List<ProbeSeries> all) {
                List<CounterDataPointSnapshot> points = new ArrayList<>(all.size() * outcomeLabels.length);
                for (ProbeSeries s : all) {
                    long[] counts = s.outcomeCounts();
                    for (int i : inLabelOrder) {
                        points.add(new CounterDataPointSnapshot(
                                counts[i], labels(s, outcomeLabels[i]), null, s.createdMillis()));
                    }
                }
                return new CounterSnapshot(metadata(), points);
            }
        };
    }

    /** 1 while the last result proved the path; 0 before the first result. */
    static SeriesFamily up(
            String name, String help, Labels constLabels, String[] labelNames, Supplier<List<ProbeSeries>> series) {
        return new SeriesFamily(new MetricMetadata(name, help), MetricType.GAUGE, constLabels, labelNames, series) {
            @Override
            MetricSnapshot snapshot(List<ProbeSeries> all) {
                List<GaugeDataPointSnapshot> points = new ArrayList<>(all.size());
                for (ProbeSeries s : all) {
                    points.add(new GaugeDataPointSnapshot(s.up() ? 1 : 0, labels(s, null), null));
                }
                return new GaugeSnapshot(metadata(), points);
            }
        };
    }

    /** A histogram of latency in seconds, classic or native as each series keeps it. */
    static SeriesFamily latency(
            String name, String help, Labels constLabels, String[] labelNames, Supplier<List<ProbeSeries>> series) {
        return new SeriesFamily(
                new MetricMetadata(name, help, Unit.SECONDS), MetricType.HISTOGRAM, constLabels, labelNames, series) {
            @Override
            MetricSnapshot snapshot(List<ProbeSeries> all) {
                List<HistogramDataPointSnapshot> points = new ArrayList<>(all.size());
                for (ProbeSeries s : all) {
                    points.add(s.latencyPoint(labels(s, null)));
                }
                return new HistogramSnapshot(metadata(), points);
            }
        };
    }

    abstract MetricSnapshot snapshot(List<ProbeSeries> all);

    @Override
    public MetricSnapshot collect() {
        return snapshot(series.get());
    }

    @Override
    public String prometheusName() {
        return metadata.getPrometheusName();
    }

    @Override
    public Iterable<MetricSnapshot> slices(int seriesPerSlice) {
        if (seriesPerSlice < 1) {
            throw new IllegalArgumentException("seriesPerSlice " + seriesPerSlice);
        }
        List<ProbeSeries> all =
                series.get(); // one list for every slice: a plan change mid-scrape neither drops nor repeats a series
        int slices = all.isEmpty() ? 1 : (all.size() - 1) / seriesPerSlice + 1;
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < slices;
            }

            @Override
            public MetricSnapshot next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next++ * seriesPerSlice;
                return snapshot(all.subList(Math.min(from, all.size()), Math.min(from + seriesPerSlice, all.size())));
            }
        };
    }

    /** The series' labels: the constant ones, its own values, and {@code result} when given. */
    Labels labels(ProbeSeries s, String result) {
        String[] own = s.labelValues();
        String[] values = new String[labelNames.length];
        System.arraycopy(constValues, 0, values, 0, constValues.length);
        System.arraycopy(own, 0, values, constValues.length, own.length);
        if (result != null) {
            values[values.length - 1] = result;
        }
        return Labels.of(labelNames, values);
    }

    MetricMetadata metadata() {
        return metadata;
    }

    @Override
    @SuppressWarnings(
            "deprecation") // client_java 1.7 still reads it: scrapes filter by name, descriptors are built from all
    // four
    public String getPrometheusName() {
        return metadata.getPrometheusName();
    }

    @Override
    @SuppressWarnings(
            "deprecation") // client_java 1.7 still reads it: scrapes filter by name, descriptors are built from all
    // four
    public MetricType getMetricType() {
        return type;
    }

    @Override
    @SuppressWarnings(
            "deprecation") // client_java 1.7 still reads it: scrapes filter by name, descriptors are built from all
    // four
    public Set<String> getLabelNames() {
        return Set.of(labelNames);
    }

    @Override
    @SuppressWarnings(
            "deprecation") // client_java 1.7 still reads it: scrapes filter by name, descriptors are built from all
    // four
    public MetricMetadata getMetadata() {
        return metadata;
    }

    private static String[] with(String[] base, String extra) {
        String[] out = Arrays.copyOf(base, base.length + 1);
        out[base.length] = extra;
        return out;
    }
}
