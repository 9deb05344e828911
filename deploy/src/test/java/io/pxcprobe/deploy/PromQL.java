package io.pxcprobe.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests need to know about PromQL text: metric names it reads, and Grafana variables replaced. */
final class PromQL {
    /** Names the agent exports or the rules file records; label names and functions never start like these. */
    private static final Pattern METRIC = Pattern.compile("(?<![\\w:\"])((?:pxc_probe|jvm|process)[a-zA-Z0-9_:]*)");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`");

    private PromQL() {}

    static Set<String> metricNames(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(STRING.matcher(expr).replaceAll("\"\""));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Grafana's variables replaced by values Prometheus accepts. */
    static String substituteGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "1m")
                .replace("$__range", "3h")
                .replaceAll("\\$\\{?(namespace|cluster|source_node|port|resolver)\\}?", ".*");
    }

    /** A histogram's or summary's series name without its suffix. */
    static String family(String name) {
        return name.replaceAll("_(bucket|count|sum|created)$", "");
    }
}
