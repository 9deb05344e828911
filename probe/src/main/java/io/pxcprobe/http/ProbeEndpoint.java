package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.pxcprobe.config.Addresses;
import io.pxcprobe.config.Cidr;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.CheckScope;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.Result;
import io.pxcprobe.target.Member;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /probe}: runs a member's checks of every kind now and prints each phase. Only known targets (or
 * addresses inside {@code http.probe.allowCidrs}): an open prober would be an SSRF hole. Rate-limited.
 * Ad hoc results are not counted in the metrics.
 */
public final class ProbeEndpoint implements BufferedEndpoint {
    private final Supplier<ProbePlan> plan;
    private final Kinds kinds;
    private final Function<Check, CompletableFuture<Result>> probe;
    private final RateLimiter limiter;
    private final List<Cidr> allowCidrs;
    private final Supplier<TcpMode> defaultMode;
    private final String node;

    public ProbeEndpoint(
            Supplier<ProbePlan> plan,
            Kinds kinds,
            Function<Check, CompletableFuture<Result>> probe,
            double perSecond,
            int burst,
            List<Cidr> allowCidrs,
            Supplier<TcpMode> defaultMode,
            String node) {
        this.plan = plan;
        this.kinds = kinds;
        this.probe = probe;
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
            FullHttpResponse r = Responses.error(
                    HttpResponseStatus.TOO_MANY_REQUESTS, "ad hoc probes are rate-limited; retry in " + wait + "s");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, wait);
            return CompletableFuture.completedFuture(r);
        }
        List<CompletableFuture<Result>> runs = sel.checks.stream().map(probe).toList();
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Result> results = runs.stream().map(CompletableFuture::join).toList();
            ProbeReport report = new ProbeReport(kinds, sel.title, node, results);
            return json
                    ? Responses.json(HttpResponseStatus.OK, report.json())
                    : Responses.text(HttpResponseStatus.OK, report.text());
        });
    }

    /** @param checks in the order of the kinds, so that the report reads phase by phase */
    private record Selection(String title, List<Check> checks) {}

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
            throw new Request.BadRequest(
                    "give cluster and pod (and optionally namespace, port), e.g. /probe?cluster=cluster1&pod=cluster1-pxc-0&port=gcomm");
        }
        ProbePlan p = plan.get();
        List<Scoped> member = p.allChecks().stream()
                .map(this::scoped)
                .filter(s -> s.scope.matches(namespace, cluster, pod))
                .toList();
        if (member.isEmpty()) {
            throw new Request.BadRequest(
                    HttpResponseStatus.NOT_FOUND,
                    "no discovered member " + (namespace == null ? "" : namespace + "/") + cluster + "/" + pod);
        }
        List<String> namespaces =
                member.stream().map(s -> s.scope.namespace()).distinct().toList();
        if (namespaces.size() > 1) {
            throw new Request.BadRequest(
                    cluster + "/" + pod + " exists in namespaces " + namespaces + "; add namespace=");
        }
        if (port != null) {
            // port= narrows the checks that test ports; those of kinds without ports (DNS) stay
            List<Scoped> narrowed = member.stream()
                    .filter(s -> s.scope.port() == null || s.scope.port().equals(port))
                    .toList();
            if (narrowed.stream().noneMatch(s -> port.equals(s.scope.port()))) {
                throw new Request.BadRequest("unknown port '" + port + "'; checked ports: "
                        + p.allChecks().stream()
                                .map(c -> scoped(c).scope.port())
                                .filter(Objects::nonNull)
                                .distinct()
                                .toList());
            }
            member = narrowed;
        }
        List<Check> checks = member.stream().map(Scoped::check).sorted(byKind()).toList();
        return new Selection(namespaces.get(0) + "/" + cluster + "/" + pod, checks);
    }

    private record Scoped(Check check, CheckScope scope) {}

    private Scoped scoped(Check c) {
        return scope(kinds.of(c), c);
    }

    private static <C extends Check> Scoped scope(CheckKind<C, ?> kind, Check c) {
        return new Scoped(c, kind.scope(kind.checkType().cast(c)));
    }

    private Comparator<Check> byKind() {
        List<CheckKind<?, ?>> order = kinds.all();
        return Comparator.comparingInt(c -> order.indexOf(kinds.of(c)));
    }

    private Selection byAddress(Request req, String text) throws Request.BadRequest {
        InetAddress addr =
                Addresses.parseLiteral(text).orElseThrow(() -> new Request.BadRequest("address must be an IP address"));
        if (allowCidrs.stream().noneMatch(c -> c.contains(addr))) {
            throw new Request.BadRequest(
                    HttpResponseStatus.FORBIDDEN,
                    addr.getHostAddress() + " is not a discovered member nor inside http.probe.allowCidrs");
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
        if (PortSpec.MYSQL_PORTS.contains(port) && mode != TcpMode.SYN) {
            throw new Request.BadRequest(
                    HttpResponseStatus.FORBIDDEN,
                    "port " + port + " is MySQL's: a connect probe counts toward "
                            + "max_connect_errors and can get this agent's address blocked; this agent probes in "
                            + mode.label() + " mode");
        }
        PortSpec spec = new PortSpec(
                "port" + port, port, PortSpec.Expect.LISTENING, Duration.ofSeconds(5), Duration.ofSeconds(2), mode);
        return new Selection(addr.getHostAddress() + ":" + port, List.of(new TcpCheck(m, spec)));
    }
}
