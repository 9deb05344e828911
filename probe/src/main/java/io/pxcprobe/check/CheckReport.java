package io.pxcprobe.check;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/** How {@code pxc-probe check} prints: a verdict line, then one aligned line per requirement (or JSON). */
public final class CheckReport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CheckReport() {}

    record Report(
            String cluster,
            String sourceNode,
            String checkedAt,
            boolean backupPathReady,
            List<String> failing,
            List<CheckLines.Line> requirements) {}

    public static boolean ready(BackupCheck.Outcome o) {
        return o.verdict() != null && o.verdict().ready() && o.problems().isEmpty();
    }

    public static String text(BackupCheck.Outcome o, String node) {
        List<CheckLines.Line> lines = CheckLines.of(o);
        StringBuilder sb = new StringBuilder();
        sb.append("pxc-probe check ")
                .append(o.namespace())
                .append('/')
                .append(o.cluster())
                .append(" from ")
                .append(node)
                .append(" at ")
                .append(Instant.now())
                .append(": a backup started here ")
                .append(ready(o) ? "would get through" : "would FAIL (" + String.join(", ", failing(o)) + ")")
                .append('\n');
        int w = lines.stream().mapToInt(l -> l.requirement().length()).max().orElse(0);
        for (CheckLines.Line l : lines) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-7s %-" + w + "s  %s: expected %s, seen %s",
                    l.status(),
                    l.requirement(),
                    l.what(),
                    l.expected(),
                    l.seen()));
            if (!l.next().equals("-")) {
                sb.append("\n          -> ").append(l.next());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String json(BackupCheck.Outcome o, String node) {
        return JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(new Report(
                                o.namespace() + "/" + o.cluster(),
                                node,
                                Instant.now().toString(),
                                ready(o),
                                failing(o),
                                CheckLines.of(o)))
                + "\n";
    }

    private static List<String> failing(BackupCheck.Outcome o) {
        if (o.verdict() == null) {
            return List.of("no such cluster here");
        }
        if (!o.problems().isEmpty()) {
            return List.of("discovery not in sync");
        }
        return o.verdict().failing().stream().map(r -> r.label()).sorted().toList();
    }
}
