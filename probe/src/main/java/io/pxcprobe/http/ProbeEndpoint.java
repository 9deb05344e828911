package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.pxcprobe.config.Addresses;
import io.pxcprobe.config.Cidr;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.target.Member;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /probe}: runs a member's checks now and prints each phase. Only known targets (or
 * addresses inside {@code http.probe.allowCidrs}): an open prober would be an SSRF hole. Rate-limited.
 * Ad hoc results are not counted in the metrics.
 */
public final class ProbeEndpoint implements BufferedEndpoint {
    private final Supplier<ProbePlan> plan;
    private final Function<TcpCheck, CompletableFuture<TcpResult>> tcp;
    private final Function<DnsCheck, CompletableFuture<DnsResult>> dns;
    private final RateLimiter limiter;
    private final List<Cidr> allowCidrs;
    private final Supplier<TcpMode> defaultMode;
    private final String node;

    public ProbeEndpoint(Supplier<ProbePlan> plan, Function<TcpCheck, CompletableFuture<TcpResult>> tcp,
                         Function<DnsCheck, CompletableFuture<DnsResult>> dns, double perSecond, int burst,
                         List<Cidr> allowCidrs, Supplier<TcpMode> defaultMode, String node) {
        this.plan = plan;
        this.tcp = tcp;
        this.dns = dns;
        this.limiter = new RateLimiter(perSecond, burst);
        this.allowCidrs = List.copyOf(allowCidrs);
        this.defaultMode = defaultMode;
        this.node = node;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Request req) throws Request.BadRequest {
        req.allowOnly(List.of("namespace", "cluster", "pod", "port", "address", "format"));
        boolean json = req.wantsJson();
        Selection sel = select(req);
        long wait = limiter.tryAcquire();
        if (wait > 0) {
            FullHttpResponse r = Responses.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "ad hoc probes are rate-limited; retry in " + wait + "s");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, wait);
            return CompletableFuture.completedFuture(r);
        }
        List<CompletableFuture<DnsResult>> dnsRuns = sel.dns.stream().map(dns).toList();
        List<CompletableFuture<TcpResult>> tcpRuns = sel.tcp.stream().map(tcp).toList();
        List<CompletableFuture<?>> all = new ArrayList<>(dnsRuns);
        all.addAll(tcpRuns);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<DnsResult> d = dnsRuns.stream().map(CompletableFuture::join).toList();
            List<TcpResult> t = tcpRuns.stream().map(CompletableFuture::join).toList();
            return json ? Responses.json(HttpResponseStatus.OK, ProbeReport.json(sel.title, node, d, t))
                    : Responses.text(HttpResponseStatus.OK, ProbeReport.text(sel.title, node, d, t));
        });
    }

    private record Selection(String title, List<DnsCheck> dns, List<TcpCheck> tcp) {
    }

    private Selection select(Request req) throws Request.BadRequest {
        String address = req.param("address");
        if (address != null) {
            return byAddress(req, address);
        }
        String cluster = req.param("cluster");
        String pod = req.param("pod");
        String namespace = req.param("namespace");
        String port = req.param("port");
        if (cluster == null || pod == null) {
            throw new Request.BadRequest("give cluster and pod (and optionally namespace, port), e.g. /probe?cluster=cluster1&pod=cluster1-pxc-0&port=gcomm");
        }
        ProbePlan p = plan.get();
        List<TcpCheck> tcpChecks = p.tcpChecks().stream().filter(c -> matches(c.member(), namespace, cluster, pod)).toList();
        if (tcpChecks.isEmpty()) {
            throw new Request.BadRequest(HttpResponseStatus.NOT_FOUND, "no discovered member " + (namespace == null ? "" : namespace + "/") + cluster + "/" + pod);
        }
        List<String> namespaces = tcpChecks.stream().map(c -> c.member().namespace()).distinct().toList();
        if (namespaces.size() > 1) {
            throw new Request.BadRequest(cluster + "/" + pod + " exists in namespaces " + namespaces + "; add namespace=");
        }
        if (port != null) {
            tcpChecks = tcpChecks.stream().filter(c -> c.port().name().equals(port)).toList();
            if (tcpChecks.isEmpty()) {
                throw new Request.BadRequest("unknown port '" + port + "'; checked ports: "
                        + p.tcpChecks().stream().map(c -> c.port().name()).distinct().toList());
            }
        }
        List<DnsCheck> dnsChecks = p.dnsChecks().stream()
                .filter(c -> c.target().pod().equals(pod) && c.target().cluster().equals(cluster)
                        && c.target().namespace().equals(namespaces.get(0)))
                .toList();
        return new Selection(namespaces.get(0) + "/" + cluster + "/" + pod, dnsChecks, tcpChecks);
    }

    private Selection byAddress(Request req, String text) throws Request.BadRequest {
        InetAddress addr = Addresses.parseLiteral(text)
                .orElseThrow(() -> new Request.BadRequest("address must be an IP address"));
        if (allowCidrs.stream().noneMatch(c -> c.contains(addr))) {
            throw new Request.BadRequest(HttpResponseStatus.FORBIDDEN, addr.getHostAddress() + " is not a discovered member nor inside http.probe.allowCidrs");
        }
        String portText = req.param("port");
        int port;
        try {
            port = Integer.parseInt(portText == null ? "" : portText);
        } catch (NumberFormatException e) {
            throw new Request.BadRequest("with address=, port must be a number");
        }
        if (port < 1 || port > 65535) {
            throw new Request.BadRequest("port out of range 1-65535");
        }
        Member m = new Member("-", "-", addr.getHostAddress(), addr, "", true, Map.of());
        TcpMode mode = defaultMode.get();
        PortSpec spec = new PortSpec("port" + port, port, PortSpec.Expect.LISTENING, Duration.ofSeconds(5),
                Duration.ofSeconds(2), mode);
        return new Selection(addr.getHostAddress() + ":" + port, List.of(), List.of(new TcpCheck(m, spec, mode)));
    }

    private static boolean matches(Member m, String namespace, String cluster, String pod) {
        return m.cluster().equals(cluster) && m.pod().equals(pod) && (namespace == null || m.namespace().equals(namespace));
    }
}
