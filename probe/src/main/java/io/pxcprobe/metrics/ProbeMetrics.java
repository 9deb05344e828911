package io.pxcprobe.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.util.Arrays;
import java.util.List;

/**
 * The per-target series: TCP and DNS outcomes, path state and latency. Series exist only for checks
 * in the current plan; recording a result costs a map lookup and a few adds under an uncontended
 * monitor. Every outcome's counter starts at 0, so the first timeout is an increase Prometheus
 * sees. A result for a check that left the plan finds no series and is dropped. The series live in
 * primitive arrays ({@link ProbeSeries}) and become client_java snapshots only during a scrape.
 */
public final class ProbeMetrics implements ResultListener {
    private static final String[] TCP_LABELS = {"namespace", "cluster", "pod", "target_node", "port"};
    private static final String[] DNS_LABELS = {"namespace", "cluster", "name_kind", "pod", "rrtype", "resolver"};
    static final String NO_POD = "-";

    private final CheckSeries<TcpCheck> tcp =
            new CheckSeries<>(TCP_LABELS, ProbeMetrics::tcpLabels, TcpOutcome.values().length, Buckets.HANDSHAKE_SECONDS);
    private final CheckSeries<DnsCheck> dns =
            new CheckSeries<>(DNS_LABELS, ProbeMetrics::dnsLabels, DnsOutcome.values().length, Buckets.DNS_SECONDS);

    private final List<SlicedFamily> families;

    public ProbeMetrics(PrometheusRegistry registry, Labels constLabels) {
        String[] tcpOutcomes = Arrays.stream(TcpOutcome.values()).map(TcpOutcome::label).toArray(String[]::new);
        String[] dnsOutcomes = Arrays.stream(DnsOutcome.values()).map(DnsOutcome::label).toArray(String[]::new);
        List<SeriesFamily> all = List.of(
                SeriesFamily.outcomes("pxc_probe_tcp_probes", "TCP path checks by outcome.",
                        constLabels, TCP_LABELS, tcpOutcomes, tcp::all),
                SeriesFamily.up("pxc_probe_tcp_path_up",
                        "1 when the last check proved the path (open, or refused where expect=reachable).",
                        constLabels, TCP_LABELS, tcp::all),
                SeriesFamily.latency("pxc_probe_tcp_connect_duration_seconds",
                        "Handshake round-trip time of answered checks (kernel RTT where measured).",
                        constLabels, TCP_LABELS, Buckets.HANDSHAKE_SECONDS, tcp::all),
                SeriesFamily.outcomes("pxc_probe_dns_lookups", "DNS checks by outcome.",
                        constLabels, DNS_LABELS, dnsOutcomes, dns::all),
                SeriesFamily.up("pxc_probe_dns_up", "1 when the last lookup was ok.", constLabels, DNS_LABELS, dns::all),
                SeriesFamily.latency("pxc_probe_dns_lookup_duration_seconds",
                        "Time to a DNS reply, for lookups that got one.", constLabels, DNS_LABELS, Buckets.DNS_SECONDS, dns::all));
        all.forEach(registry::register);
        families = List.copyOf(all);
    }

    /** The per-target families, for a scrape that renders them a slice at a time; all are also in the registry. */
    public List<SlicedFamily> families() {
        return families;
    }

    @Override
    public void onResult(Result result) {
        switch (result) {
            case TcpResult t -> tcp(t);
            case DnsResult d -> dns(d);
        }
    }

    private void tcp(TcpResult r) {
        ProbeSeries s = tcp.get(r.check());
        if (s != null) {
            s.record(r.outcome().ordinal(), r.pathUp(), r.latencySeconds());
        }
    }

    private void dns(DnsResult r) {
        ProbeSeries s = dns.get(r.check());
        if (s != null) {
            s.record(r.outcome().ordinal(), r.ok(), r.durationNanos() >= 0 ? r.durationNanos() / 1e9 : Double.NaN);
        }
    }

    @Override
    public void onPlan(ProbePlan plan) {
        tcp.plan(plan.tcpChecks());
        dns.plan(plan.dnsChecks());
    }

    static String[] tcpLabels(TcpCheck c) {
        var m = c.member();
        return new String[] {m.namespace(), m.cluster(), m.pod(), m.node(), c.port().name()};
    }

    /**
     * Service names belong to no pod: their {@code pod} is {@code -}, never empty, because Prometheus
     * treats an empty label as absent and a ServiceMonitor with honorLabels would then fill in the
     * agent's own pod name.
     */
    static String[] dnsLabels(DnsCheck c) {
        var t = c.target();
        String pod = t.pod().isEmpty() ? NO_POD : t.pod();
        return new String[] {t.namespace(), t.cluster(), t.kind().label(), pod, t.type().name(), c.resolver().label()};
    }
}
