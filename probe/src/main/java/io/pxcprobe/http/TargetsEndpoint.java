package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.state.LatestResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /targets}: the latest result of every check, as an aligned table (or JSON). Optional
 * filters {@code namespace}, {@code cluster}, {@code pod} narrow it down at 3 a.m.
 */
public final class TargetsEndpoint implements Endpoint {
    private final LatestResults results;
    private final String node;

    public TargetsEndpoint(LatestResults results, String node) {
        this.results = results;
        this.node = node;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Request req) throws Request.BadRequest {
        req.allowOnly(List.of("format", "namespace", "cluster", "pod"));
        boolean json = req.wantsJson();
        Filter f = new Filter(req.param("namespace"), req.param("cluster"), req.param("pod"));
        ProbePlan plan = results.plan();
        long now = System.currentTimeMillis();
        List<TcpCheck> tcp = plan.tcpChecks().stream()
                .filter(c -> f.matches(c.member().namespace(), c.member().cluster(), c.member().pod())).toList();
        List<DnsCheck> dns = plan.dnsChecks().stream()
                .filter(c -> f.matches(c.target().namespace(), c.target().cluster(), c.target().pod())).toList();
        FullHttpResponse r = json ? Responses.json(HttpResponseStatus.OK, asJson(tcp, dns, now))
                : Responses.text(HttpResponseStatus.OK, asText(tcp, dns, now));
        return CompletableFuture.completedFuture(r);
    }

    private String asText(List<TcpCheck> tcp, List<DnsCheck> dns, long now) {
        TextTable t = new TextTable("SOURCE", "TARGET", "PORT", "ADDRESS", "OUTCOME", "PATH", "LATENCY", "AGE", "DETAIL");
        for (TcpCheck c : tcp) {
            Optional<TcpResult> r = results.latest(c);
            var m = c.member();
            t.row(node, m.namespace() + "/" + m.cluster() + "/" + m.pod(), c.port().name() + "/" + c.port().port(),
                    addr(c), r.map(x -> x.outcome().label()).orElse("pending"),
                    r.map(x -> x.pathUp() ? "up" : "DOWN").orElse("-"),
                    r.map(x -> Format.seconds(x.latencySeconds())).orElse("-"),
                    r.map(x -> Format.age(x.startedAtMillis(), now)).orElse("-"),
                    r.map(TcpResult::detail).filter(s -> !s.isEmpty()).orElse("-"));
        }
        TextTable d = new TextTable("SOURCE", "NAME", "TYPE", "RESOLVER", "OUTCOME", "LATENCY", "AGE", "ANSWER");
        for (DnsCheck c : dns) {
            Optional<DnsResult> r = results.latest(c);
            d.row(node, c.target().name(), c.target().type().name(), c.resolver().label(),
                    r.map(x -> x.outcome().label()).orElse("pending"),
                    r.map(x -> Format.seconds(x.durationNanos() / 1e9)).orElse("-"),
                    r.map(x -> Format.age(x.startedAtMillis(), now)).orElse("-"),
                    r.map(x -> x.answer().isEmpty() ? "-" : String.join(",", x.answer())).orElse("-"));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# TCP paths from ").append(node).append(" (").append(t.size()).append(" checks)\n").append(t.render());
        sb.append("\n# DNS from ").append(node).append(" (").append(d.size()).append(" checks)\n").append(d.render());
        return sb.toString();
    }

    private Map<String, Object> asJson(List<TcpCheck> tcp, List<DnsCheck> dns, long now) {
        List<Map<String, Object>> tcpRows = new ArrayList<>();
        for (TcpCheck c : tcp) {
            Map<String, Object> row = new LinkedHashMap<>();
            var m = c.member();
            row.put("namespace", m.namespace());
            row.put("cluster", m.cluster());
            row.put("pod", m.pod());
            row.put("targetNode", m.node());
            row.put("port", c.port().name());
            row.put("portNumber", c.port().port());
            row.put("address", m.address().getHostAddress());
            row.put("expect", c.port().expect().label());
            row.put("mode", c.mode().label());
            results.latest(c).ifPresentOrElse(r -> {
                row.put("outcome", r.outcome().label());
                row.put("pathUp", r.pathUp());
                row.put("latencySeconds", Double.isNaN(r.latencySeconds()) ? null : r.latencySeconds());
                row.put("kernelRttSeconds", r.kernelRttMicros() > 0 ? r.kernelRttMicros() / 1e6 : null);
                row.put("errno", r.errno());
                row.put("detail", r.detail());
                row.put("ageSeconds", (now - r.startedAtMillis()) / 1000.0);
            }, () -> row.put("outcome", "pending"));
            tcpRows.add(row);
        }
        List<Map<String, Object>> dnsRows = new ArrayList<>();
        for (DnsCheck c : dns) {
            Map<String, Object> row = new LinkedHashMap<>();
            var t = c.target();
            row.put("namespace", t.namespace());
            row.put("cluster", t.cluster());
            row.put("pod", t.pod());
            row.put("nameKind", t.kind().label());
            row.put("name", t.name());
            row.put("type", t.type().name());
            row.put("resolver", c.resolver().label());
            row.put("expected", t.expected().values().stream().sorted().toList());
            results.latest(c).ifPresentOrElse(r -> {
                row.put("outcome", r.outcome().label());
                row.put("latencySeconds", r.durationNanos() >= 0 ? r.durationNanos() / 1e9 : null);
                row.put("answer", r.answer());
                row.put("detail", r.detail());
                row.put("ageSeconds", (now - r.startedAtMillis()) / 1000.0);
            }, () -> row.put("outcome", "pending"));
            dnsRows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceNode", node);
        body.put("tcp", tcpRows);
        body.put("dns", dnsRows);
        return body;
    }

    private static String addr(TcpCheck c) {
        String host = c.member().address().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + c.port().port();
    }

    private record Filter(String namespace, String cluster, String pod) {
        boolean matches(String ns, String cl, String p) {
            return (namespace == null || namespace.equals(ns)) && (cluster == null || cluster.equals(cl))
                    && (pod == null || pod.equals(p));
        }
    }
}
