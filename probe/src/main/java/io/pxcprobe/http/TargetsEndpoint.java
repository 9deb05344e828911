package io.pxcprobe.http;

import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.state.LatestResults;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /targets}: the latest result of every check, as an aligned table (or JSON). Optional
 * filters {@code namespace}, {@code cluster}, {@code pod} narrow it down at 3 a.m. Streamed row by
 * row off the event loop, so that tens of thousands of checks cost no more memory than a few.
 */
public final class TargetsEndpoint implements StreamingEndpoint {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] TCP_HEADER = {"SOURCE", "TARGET", "PORT", "ADDRESS", "OUTCOME", "PATH", "LATENCY", "AGE", "DETAIL"};
    private static final String[] DNS_HEADER = {"SOURCE", "NAME", "TYPE", "RESOLVER", "OUTCOME", "LATENCY", "AGE", "ANSWER"};

    private final LatestResults results;
    private final String node;
    private final Executor executor;

    /** @param executor where bodies are written: never the event loop, and not the one Prometheus scrapes on */
    public TargetsEndpoint(LatestResults results, String node, Executor executor) {
        this.results = results;
        this.node = node;
        this.executor = executor;
    }

    @Override
    public Body open(Request req) throws Request.BadRequest {
        req.allowOnly(List.of("format", "namespace", "cluster", "pod"));
        boolean json = req.wantsJson();
        Filter f = new Filter(req.param("namespace"), req.param("cluster"), req.param("pod"));
        ProbePlan plan = results.plan();
        return json ? new Body("application/json", out -> writeJson(plan, f, out))
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
            w.append("# CHECK LIMIT REACHED: ").append(String.valueOf(plan.leftOut())).append(" checks are left out and not probed (limit ")
                    .append(String.valueOf(plan.maxChecks())).append("; raise the memory limit or scheduler.maxChecks)\n\n");
        }
        StreamedTable tcp = new StreamedTable(TCP_HEADER, each -> tcpCells(plan, f, now, each));
        w.append("# TCP paths from ").append(node).append(" (").append(String.valueOf(tcp.rows())).append(" checks)\n");
        tcp.writeTo(w);
        StreamedTable dns = new StreamedTable(DNS_HEADER, each -> dnsCells(plan, f, now, each));
        w.append("\n# DNS from ").append(node).append(" (").append(String.valueOf(dns.rows())).append(" checks)\n");
        dns.writeTo(w);
        w.flush();
    }

    private void tcpCells(ProbePlan plan, Filter f, long now, Consumer<String[]> each) {
        for (TcpCheck c : plan.tcpChecks()) {
            if (!f.matches(c)) {
                continue;
            }
            var m = c.member();
            Optional<TcpResult> r = results.latest(c);
            each.accept(new String[] {node, m.namespace() + "/" + m.cluster() + "/" + m.pod(),
                    c.port().name() + "/" + c.port().port(), addr(c), r.map(x -> x.outcome().label()).orElse("pending"),
                    r.map(x -> x.pathUp() ? "up" : "DOWN").orElse("-"),
                    r.map(x -> Format.seconds(x.latencySeconds())).orElse("-"),
                    r.map(x -> Format.age(x.startedAtMillis(), now)).orElse("-"),
                    r.map(TcpResult::detail).filter(s -> !s.isEmpty()).orElse("-")});
        }
    }

    private void dnsCells(ProbePlan plan, Filter f, long now, Consumer<String[]> each) {
        for (DnsCheck c : plan.dnsChecks()) {
            if (!f.matches(c)) {
                continue;
            }
            var t = c.target();
            Optional<DnsResult> r = results.latest(c);
            each.accept(new String[] {node, t.name(), t.type().name(), c.resolver().label(),
                    r.map(x -> x.outcome().label()).orElse("pending"),
                    r.map(x -> Format.seconds(x.durationNanos() / 1e9)).orElse("-"),
                    r.map(x -> Format.age(x.startedAtMillis(), now)).orElse("-"),
                    r.map(x -> x.answer().isEmpty() ? "-" : String.join(",", x.answer())).orElse("-")});
        }
    }

    private void writeJson(ProbePlan plan, Filter f, OutputStream out) {
        long now = System.currentTimeMillis();
        try (JsonGenerator g = JSON.writerWithDefaultPrettyPrinter().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("sourceNode", node);
            g.writeNumberProperty("checksLeftOut", plan.leftOut());
            array(g, "tcp", plan.tcpChecks(), f::matches, c -> TargetRows.tcp(c, results.latest(c), now));
            array(g, "dns", plan.dnsChecks(), f::matches, c -> TargetRows.dns(c, results.latest(c), now));
            g.writeEndObject();
        }
    }

    private static <C> void array(JsonGenerator g, String name, List<C> checks, Predicate<C> keep, Function<C, Object> row) {
        g.writeName(name);
        g.writeStartArray();
        for (C c : checks) {
            if (keep.test(c)) {
                g.writePOJO(row.apply(c));
            }
        }
        g.writeEndArray();
    }

    private static String addr(TcpCheck c) {
        String host = c.member().address().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + c.port().port();
    }

    private record Filter(String namespace, String cluster, String pod) {
        boolean matches(TcpCheck c) {
            return matches(c.member().namespace(), c.member().cluster(), c.member().pod());
        }

        boolean matches(DnsCheck c) {
            return matches(c.target().namespace(), c.target().cluster(), c.target().pod());
        }

        boolean matches(String ns, String cl, String p) {
            return (namespace == null || namespace.equals(ns)) && (cluster == null || cluster.equals(cl))
                    && (pod == null || pod.equals(p));
        }
    }
}
