package io.pxcprobe.http;

import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.Check;
import io.pxcprobe.result.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How an ad hoc probe reads: a title, then one line per check in the words of its kind. */
record ProbeReport(Kinds kinds, String title, String node, List<Result> results) {

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("probe ")
                .append(title)
                .append(" from ")
                .append(node)
                .append(" at ")
                .append(Instant.now())
                .append('\n');
        for (Result r : results) {
            sb.append("  ").append(line(kinds.of(r), r)).append('\n');
        }
        return sb.toString();
    }

    /** {@code target}, {@code sourceNode}, then an array per kind, named as the kind. */
    Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("target", title);
        body.put("sourceNode", node);
        for (CheckKind<?, ?> kind : kinds.all()) {
            List<Object> rows = new ArrayList<>();
            for (Result r : results) {
                if (kinds.of(r) == kind) {
                    rows.add(row(kind, r));
                }
            }
            body.put(kind.name(), rows);
        }
        return body;
    }

    private static <C extends Check, R extends Result> String line(CheckKind<C, R> kind, Result r) {
        return kind.reportLine(kind.resultType().cast(r));
    }

    private static <C extends Check, R extends Result> Object row(CheckKind<C, R> kind, Result r) {
        return kind.reportRow(kind.resultType().cast(r));
    }
}
