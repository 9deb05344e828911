package io.pxcprobe.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Times measured by the scenarios, written when the suite ends (to e2e/target/e2e-figures.md unless told otherwise). */
public final class Figures {

    /** One fault: how long until Prometheus showed it and until the webhook got the page (null: no page expected). */
    public record Detection(
            String scenario, String fault, String metric, Duration toMetric, String alert, Duration toNotification) {}

    private final List<Detection> detections = new ArrayList<>();
    private final List<String[]> harm = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> sections = new LinkedHashMap<>();

    public synchronized void detection(Detection d) {
        detections.add(d);
    }

    /** A "do no harm" row: setting, then observed values. */
    public synchronized void harm(String... row) {
        harm.add(row);
    }

    public synchronized void note(String line) {
        notes.add(line);
    }

    /**
     * A section of its own ({@code ## title}, then {@code markdown}). A run that measured only
     * sections (one class run alone) replaces just those in the existing file and keeps the rest.
     */
    public synchronized void section(String title, String markdown) {
        sections.put(title, markdown);
    }

    synchronized void write(Path file) {
        if (detections.isEmpty() && harm.isEmpty() && sections.isEmpty()) {
            return;
        }
        String text = detections.isEmpty() && harm.isEmpty() ? existing(file) : main();
        for (Map.Entry<String, String> e : sections.entrySet()) {
            text = withSection(text, e.getKey(), e.getValue());
        }
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String existing(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "# End-to-end figures\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} with section {@code title} replaced (up to the next {@code ## } heading) or appended. */
    static String withSection(String text, String title, String markdown) {
        String heading = "## " + title + "\n";
        String body = heading + "\n" + markdown.strip() + "\n";
        int start = text.startsWith(heading) ? 0 : text.indexOf("\n" + heading);
        if (start < 0) {
            return text.stripTrailing() + "\n\n" + body;
        }
        start = start == 0 && text.startsWith(heading) ? 0 : start + 1;
        int next = text.indexOf("\n## ", start + heading.length());
        return text.substring(0, start) + body + (next < 0 ? "" : text.substring(next));
    }

    private String main() {
        StringBuilder b = new StringBuilder();
        b.append("# End-to-end figures\n\n")
                .append("Written by the end-to-end suite (e2e/) on ")
                .append(Instant.now())
                .append(", on a machine with ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores. Reproduce, as root with the packages of ")
                .append(
                        "`.ci/install-deps`:\n\n```\nmvn -B -q package -pl probe -am -DskipTests && mvn -B verify -pl e2e -Dpxcprobe.e2e.figures=$PWD/docs/e2e-figures.md\n```\n\n")
                .append("Real Galera (MariaDB + galera-4), dnsmasq, Prometheus (scrape and rule evaluation every 1 s, ")
                .append("every `for:` of the shipped rules shortened to ")
                .append(System.getProperty("pxcprobe.e2e.ruleForSeconds", "5"))
                .append(
                        " s) and Alertmanager (group_wait 1 s) in network namespaces. Times run from the moment the fault ")
                .append(
                        "was in place to the first Prometheus query that showed it, and to the webhook receiving the alert.\n\n");
        b.append("## Fault to metric, fault to notification\n\n")
                .append(
                        "| scenario | fault | metric change | fault to metric | alert | fault to notification |\n|---|---|---|---|---|---|\n");
        for (Detection d : detections) {
            b.append("| ")
                    .append(d.scenario())
                    .append(" | ")
                    .append(d.fault())
                    .append(" | `")
                    .append(d.metric())
                    .append("` | ")
                    .append(seconds(d.toMetric()))
                    .append(" | ")
                    .append(d.alert() == null ? "none (by design)" : "`" + d.alert() + "`")
                    .append(" | ")
                    .append(d.toNotification() == null ? "-" : seconds(d.toNotification()))
                    .append(" |\n");
        }
        if (!harm.isEmpty()) {
            b.append("\n## Do no harm\n\n")
                    .append(
                            "| probing | duration | new error-log lines | Aborted_connects / connection errors | wsrep_cluster_size, status | garbd join time |\n")
                    .append("|---|---|---|---|---|---|\n");
            harm.forEach(r -> b.append("| ").append(String.join(" | ", r)).append(" |\n"));
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
