package io.pxcprobe.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-target series: TCP and DNS outcomes, path state and latency. Series exist only for checks
 * in the current plan; each check's data points are looked up once per plan, so recording a result
 * costs a hash lookup and a few adds. Every outcome's counter starts at 0, so the first timeout is
 * an increase Prometheus sees. A result for a check that left the plan finds no series and is dropped.
 */
public final class ProbeMetrics implements ResultListener {
    private static final String[] TCP_LABELS = {"namespace", "cluster", "pod", "target_node", "port"};
    private static final String[] DNS_LABELS = {"namespace", "cluster", "name_kind", "pod", "rrtype", "resolver"};

    private final Counter tcpProbes;
    private final Gauge tcpUp;
    private final Histogram tcpDuration;
    private final Counter dnsLookups;
    private final Gauge dnsUp;
    private final Histogram dnsDuration;
    private volatile Map<TcpCheck, Series> tcp = Map.of();
    private volatile Map<DnsCheck, Series> dns = Map.of();
    private Map<List<String>, Series> tcpByLabels = new HashMap<>();
    private Map<List<String>, Series> dnsByLabels = new HashMap<>();

    /** One target's data points: a counter per outcome (by ordinal), the up gauge, the latency histogram. */
    private record Series(CounterDataPoint[] outcomes, GaugeDataPoint up, DistributionDataPoint latency) {
    }

    public ProbeMetrics(PrometheusRegistry registry, Labels constLabels) {
        tcpProbes = Counter.builder().name("pxc_probe_tcp_probes_total")
                .help("TCP path checks by outcome.").constLabels(constLabels).withoutExemplars()
                .labelNames(with(TCP_LABELS, "result")).register(registry);
        tcpUp = Gauge.builder().name("pxc_probe_tcp_path_up")
                .help("1 when the last check proved the path (open, or refused where expect=reachable).")
                .constLabels(constLabels).withoutExemplars().labelNames(TCP_LABELS).register(registry);
        tcpDuration = Histogram.builder().name("pxc_probe_tcp_connect_duration_seconds").unit(Unit.SECONDS)
                .help("Handshake round-trip time of answered checks (kernel RTT where measured).")
                .constLabels(constLabels).labelNames(TCP_LABELS)
                .classicOnly().classicUpperBounds(Buckets.HANDSHAKE_SECONDS).withoutExemplars().register(registry);
        dnsLookups = Counter.builder().name("pxc_probe_dns_lookups_total")
                .help("DNS checks by outcome.").constLabels(constLabels).withoutExemplars()
                .labelNames(with(DNS_LABELS, "result")).register(registry);
        dnsUp = Gauge.builder().name("pxc_probe_dns_up").help("1 when the last lookup was ok.")
                .constLabels(constLabels).withoutExemplars().labelNames(DNS_LABELS).register(registry);
        dnsDuration = Histogram.builder().name("pxc_probe_dns_lookup_duration_seconds").unit(Unit.SECONDS)
                .help("Time to a DNS reply, for lookups that got one.").constLabels(constLabels).labelNames(DNS_LABELS)
                .classicOnly().classicUpperBounds(Buckets.DNS_SECONDS).withoutExemplars().register(registry);
    }

    @Override
    public void onTcp(TcpResult r) {
        Series s = tcp.get(r.check());
        if (s == null) {
            return;
        }
        s.outcomes[r.outcome().ordinal()].inc();
        s.up.set(r.pathUp() ? 1 : 0);
        double latency = r.latencySeconds();
        if (!Double.isNaN(latency)) {
            s.latency.observe(latency);
        }
    }

    @Override
    public void onDns(DnsResult r) {
        Series s = dns.get(r.check());
        if (s == null) {
            return;
        }
        s.outcomes[r.outcome().ordinal()].inc();
        s.up.set(r.ok() ? 1 : 0);
        if (r.durationNanos() >= 0) {
            s.latency.observe(r.durationNanos() / 1e9);
        }
    }

    @Override
    public synchronized void onPlan(ProbePlan plan) {
        Map<List<String>, Series> nextTcpByLabels = new HashMap<>();
        Map<TcpCheck, Series> nextTcp = new HashMap<>();
        for (TcpCheck c : plan.tcpChecks()) {
            List<String> labels = tcpLabels(c);
            Series s = nextTcpByLabels.computeIfAbsent(labels, l -> tcpByLabels.containsKey(l) ? tcpByLabels.get(l)
                    : series(l, tcpProbes, tcpUp, tcpDuration, TcpOutcome.values().length, i -> TcpOutcome.values()[i].label()));
            nextTcp.put(c, s);
        }
        Map<List<String>, Series> nextDnsByLabels = new HashMap<>();
        Map<DnsCheck, Series> nextDns = new HashMap<>();
        for (DnsCheck c : plan.dnsChecks()) {
            List<String> labels = dnsLabels(c);
            Series s = nextDnsByLabels.computeIfAbsent(labels, l -> dnsByLabels.containsKey(l) ? dnsByLabels.get(l)
                    : series(l, dnsLookups, dnsUp, dnsDuration, DnsOutcome.values().length, i -> DnsOutcome.values()[i].label()));
            nextDns.put(c, s);
        }
        tcp = nextTcp;
        dns = nextDns;
        for (List<String> gone : tcpByLabels.keySet()) {
            if (!nextTcpByLabels.containsKey(gone)) {
                remove(gone, tcpProbes, tcpUp, tcpDuration, Arrays.stream(TcpOutcome.values()).map(TcpOutcome::label).toList());
            }
        }
        for (List<String> gone : dnsByLabels.keySet()) {
            if (!nextDnsByLabels.containsKey(gone)) {
                remove(gone, dnsLookups, dnsUp, dnsDuration, Arrays.stream(DnsOutcome.values()).map(DnsOutcome::label).toList());
            }
        }
        tcpByLabels = nextTcpByLabels;
        dnsByLabels = nextDnsByLabels;
    }

    private static Series series(List<String> labels, Counter counter, Gauge up, Histogram latency, int outcomes,
                                 java.util.function.IntFunction<String> outcomeLabel) {
        String[] v = labels.toArray(String[]::new);
        CounterDataPoint[] byOutcome = new CounterDataPoint[outcomes];
        for (int i = 0; i < outcomes; i++) {
            byOutcome[i] = counter.labelValues(with(v, outcomeLabel.apply(i)));
        }
        return new Series(byOutcome, up.labelValues(v), latency.labelValues(v));
    }

    private static void remove(List<String> labels, Counter counter, Gauge up, Histogram latency, List<String> outcomes) {
        String[] v = labels.toArray(String[]::new);
        outcomes.forEach(o -> counter.remove(with(v, o)));
        up.remove(v);
        latency.remove(v);
    }

    static List<String> tcpLabels(TcpCheck c) {
        var m = c.member();
        return List.of(m.namespace(), m.cluster(), m.pod(), m.node(), c.port().name());
    }

    /**
     * Service names belong to no pod: their {@code pod} is {@code -}, never empty, because Prometheus
     * treats an empty label as absent and a ServiceMonitor with honorLabels would then fill in the
     * agent's own pod name.
     */
    static List<String> dnsLabels(DnsCheck c) {
        var t = c.target();
        String pod = t.pod().isEmpty() ? NO_POD : t.pod();
        return List.of(t.namespace(), t.cluster(), t.kind().label(), pod, t.type().name(), c.resolver().label());
    }

    static final String NO_POD = "-";

    private static String[] with(String[] base, String extra) {
        String[] out = Arrays.copyOf(base, base.length + 1);
        out[base.length] = extra;
        return out;
    }
}
