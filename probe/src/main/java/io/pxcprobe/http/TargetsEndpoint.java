package io.pxcprobe.http;

import io.pxcprobe.backup.BackupVerdict;
import io.pxcprobe.backup.VerdictRow;
import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.state.LatestResults;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;

/**
 * {@code /targets}: the latest result of every check, one aligned table (or JSON array) per kind of
 * check. Optional filters {@code namespace}, {@code cluster}, {@code pod} narrow it down at 3 a.m.
 * Streamed row by row off the event loop, so that tens of thousands of checks cost no more memory
 * than a few.
 */
public final class TargetsEndpoint implements StreamingEndpoint {

    private final LatestResults results;
    private final Kinds kinds;
    private final String node;
    private final Executor executor;
    private final Supplier<List<BackupVerdict>> verdicts;

    /**
     * @param executor where bodies are written: never the event loop, and not the one Prometheus scrapes on
     * @param verdicts the backup verdict of every cluster, in the JSON only
     */
    public TargetsEndpoint(
            LatestResults results,
            Kinds kinds,
            String node,
            Executor executor,
            Supplier<List<BackupVerdict>> verdicts) {
        this.results = results;
        this.kinds = kinds;
        this.node = node;
        this.executor = executor;
        this.verdicts = verdicts;
    }

    @Override
    public Body open(Request req) throws Request.BadRequest {
        req.allowOnly(List.of("format", "namespace", "cluster", "pod"));
        boolean json = req.wantsJson();
        Filter f = new Filter(req.param("namespace"), req.param("cluster"), req.param("pod"));
        ProbePlan plan = results.plan();
        return json
                ? new Body("application/json", out -> writeJson(plan, f, out))
                : new Body("text/plain; charset=utf-8", out -> writeText(plan, f, out));
    }

    @Override
    public Executor executor() {
        return executor;
    }

    private void writeText(ProbePlan plan, Filter f, OutputStream out) throws IOException {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        if (plan.leftOut() > 0) {
            w.append("# CHECK LIMIT REACHED: ")
                    .append(String.valueOf(plan.leftOut()))
                    .append(" checks are left out and not probed (limit ")
                    .append(String.valueOf(plan.maxChecks()))
                    .append("; raise the memory limit or scheduler.maxChecks)\n\n");
        }
        List<Check> checks = plan.allChecks();
        String separator = "";
        for (CheckKind<?, ?> kind : kinds.all()) {
            StreamedTable table = table(kind, checks, f, now);
            w.append(separator)
                    .append("# ")
                    .append(kind.title())
                    .append(" from ")
                    .append(node)
                    .append(" (")
                    .append(String.valueOf(table.rows()))
                    .append(" checks)\n");
            table.writeTo(w);
            separator = "\n";
        }
        w.flush();
    }

    private <C extends Check, R extends Result> StreamedTable table(
            CheckKind<C, R> kind, List<Check> checks, Filter f, long now) {
        List<C> mine = Kinds.only(kind, checks);
        String[] header = new String[kind.columns().size() + 1];
        header[0] = "SOURCE";
        for (int i = 0; i < kind.columns().size(); i++) {
            header[i + 1] = kind.columns().get(i);
        }
        return new StreamedTable(header, each -> {
            for (C c : mine) {
                if (f.matches(kind, c)) {
                    String[] cells = kind.cells(c, latest(kind, c), now);
                    String[] row = new String[cells.length + 1];
                    row[0] = node;
                    System.arraycopy(cells, 0, row, 1, cells.length);
                    each.accept(row);
                }
            }
        });
    }

    private void writeJson(ProbePlan plan, Filter f, OutputStream out) {
        long now = System.currentTimeMillis();
        List<Check> checks = plan.allChecks();
        try (JsonGenerator g =
                Responses.jsonMapper().writerWithDefaultPrettyPrinter().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("sourceNode", node);
            g.writeNumberProperty("checksLeftOut", plan.leftOut());
            for (CheckKind<?, ?> kind : kinds.all()) {
                g.writeName(kind.name());
                g.writeStartArray();
                rows(kind, checks, f, now, g::writePOJO);
                g.writeEndArray();
            }
            g.writeName("backup");
            g.writeStartArray();
            for (BackupVerdict v : verdicts.get()) {
                if (f.matches(v)) {
                    g.writePOJO(VerdictRow.of(v));
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private <C extends Check, R extends Result> void rows(
            CheckKind<C, R> kind, List<Check> checks, Filter f, long now, Consumer<Object> each) {
        for (C c : Kinds.only(kind, checks)) {
            if (f.matches(kind, c)) {
                each.accept(kind.row(c, latest(kind, c), now));
            }
        }
    }

    private <C extends Check, R extends Result> R latest(CheckKind<C, R> kind, C check) {
        return results.latest(check, kind.resultType()).orElse(null);
    }

    private record Filter(String namespace, String cluster, String pod) {
        <C extends Check> boolean matches(CheckKind<C, ?> kind, C check) {
            return kind.scope(check).matches(namespace, cluster, pod);
        }

        /** A verdict is a cluster's: {@code pod=} does not narrow it away. */
        boolean matches(BackupVerdict v) {
            return (namespace == null || namespace.equals(v.namespace()))
                    && (cluster == null || cluster.equals(v.cluster()));
        }
    }
}
