package io.pxcprobe.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples of a Prometheus text exposition (version 0.0.4), parsed so that tests can pick series by
 * name and a subset of labels instead of matching whole lines, whose label order and value
 * formatting are not theirs to fix.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {
        /** Whether every given label has the given value here (other labels may be present). */
        public boolean has(Map<String, String> subset) {
            return subset.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String body) {
        List<Sample> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.add(parseLine(line));
        }
        return new PrometheusText(List.copyOf(out));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every sample of a metric whose labels include {@code subset}. */
    public List<Sample> find(String name, Map<String, String> subset) {
        return samples.stream()
                .filter(s -> s.name.equals(name) && s.has(subset))
                .toList();
    }

    /** The value of the one sample that matches, empty when none does; fails when several do. */
    public Optional<Double> value(String name, Map<String, String> subset) {
        List<Sample> found = find(name, subset);
        if (found.size() > 1) {
            throw new AssertionError("more than one " + name + " with " + subset + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** The sum over every sample that matches: a counter across the label values not given. */
    public double sum(String name, Map<String, String> subset) {
        return find(name, subset).stream().mapToDouble(Sample::value).sum();
    }

    /** Whether any series of any metric carries all of the given labels. */
    public boolean anySeriesWith(Map<String, String> subset) {
        return samples.stream().anyMatch(s -> s.has(subset));
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || (space >= 0 && space < brace)) {
            String[] parts = line.trim().split(" ");
            return new Sample(parts[0], Map.of(), number(parts[1]));
        }
        String name = line.substring(0, brace);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).trim();
            i = eq + 2; // past ="
            StringBuilder value = new StringBuilder();
            while (line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\') {
                    char next = line.charAt(++i);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                i++;
            }
            labels.put(key, value.toString());
            i++; // past the closing quote
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        String[] rest = line.substring(i + 1).trim().split(" ");
        return new Sample(name, Map.copyOf(labels), number(rest[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
