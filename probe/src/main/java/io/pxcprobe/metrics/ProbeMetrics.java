package io.pxcprobe.metrics;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The per-target series: TCP and DNS outcomes, path state and latency. Series exist only for
 * checks in the current plan: when a check leaves the plan its series are deleted, and a result
 * that arrives for a check already gone is dropped rather than bringing the series back.
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
    private final ReadWriteLock planLock = new ReentrantReadWriteLock();
    private final Set<List<String>> activeTcp = ConcurrentHashMap.newKeySet();
    private final Set<List<String>> activeDns = ConcurrentHashMap.newKeySet();

    public ProbeMetrics(PrometheusRegistry registry, Labels constLabels) {
        tcpProbes = Counter.builder().name("pxc_probe_tcp_probes_total")
                .help("TCP path checks by outcome.").constLabels(constLabels)
                .labelNames(with(TCP_LABELS, "result")).register(registry);
        tcpUp = Gauge.builder().name("pxc_probe_tcp_path_up")
                .help("1 when the last check proved the path (open, or refused where expect=reachable).")
                .constLabels(constLabels).labelNames(TCP_LABELS).register(registry);
        tcpDuration = Histogram.builder().name("pxc_probe_tcp_connect_duration_seconds").unit(Unit.SECONDS)
                .help("Handshake round-trip time of answered checks (kernel RTT where measured).")
                .constLabels(constLabels).labelNames(TCP_LABELS)
                .classicOnly().classicUpperBounds(Buckets.HANDSHAKE_SECONDS).withoutExemplars().register(registry);
        dnsLookups = Counter.builder().name("pxc_probe_dns_lookups_total")
                .help("DNS checks by outcome.").constLabels(constLabels)
                .labelNames(with(DNS_LABELS, "result")).register(registry);
        dnsUp = Gauge.builder().name("pxc_probe_dns_up")
                .help("1 when the last lookup was ok.").constLabels(constLabels).labelNames(DNS_LABELS).register(registry);
        dnsDuration = Histogram.builder().name("pxc_probe_dns_lookup_duration_seconds").unit(Unit.SECONDS)
                .help("Time to a DNS reply, for lookups that got one.").constLabels(constLabels).labelNames(DNS_LABELS)
                .classicOnly().classicUpperBounds(Buckets.DNS_SECONDS).withoutExemplars().register(registry);
    }

    @Override
    public void onTcp(TcpResult r) {
        List<String> labels = tcpLabels(r.check());
        planLock.readLock().lock();
        try {
            if (!activeTcp.contains(labels)) {
                return;
            }
            String[] v = labels.toArray(String[]::new);
            tcpProbes.labelValues(with(v, r.outcome().label())).inc();
            tcpUp.labelValues(v).set(r.pathUp() ? 1 : 0);
            double latency = r.latencySeconds();
            if (!Double.isNaN(latency)) {
                tcpDuration.labelValues(v).observe(latency);
            }
        } finally {
            planLock.readLock().unlock();
        }
    }

    @Override
    public void onDns(DnsResult r) {
        List<String> labels = dnsLabels(r.check());
        planLock.readLock().lock();
        try {
            if (!activeDns.contains(labels)) {
                return;
            }
            String[] v = labels.toArray(String[]::new);
            dnsLookups.labelValues(with(v, r.outcome().label())).inc();
            dnsUp.labelValues(v).set(r.ok() ? 1 : 0);
            if (r.durationNanos() >= 0) {
                dnsDuration.labelValues(v).observe(r.durationNanos() / 1e9);
            }
        } finally {
            planLock.readLock().unlock();
        }
    }

    @Override
    public void onPlan(ProbePlan plan) {
        Set<List<String>> tcp = new HashSet<>();
        plan.tcpChecks().forEach(c -> tcp.add(tcpLabels(c)));
        Set<List<String>> dns = new HashSet<>();
        plan.dnsChecks().forEach(c -> dns.add(dnsLabels(c)));
        planLock.writeLock().lock();
        try {
            for (List<String> gone : difference(activeTcp, tcp)) {
                String[] v = gone.toArray(String[]::new);
                for (TcpOutcome o : TcpOutcome.values()) {
                    tcpProbes.remove(with(v, o.label()));
                }
                tcpUp.remove(v);
                tcpDuration.remove(v);
            }
            for (List<String> gone : difference(activeDns, dns)) {
                String[] v = gone.toArray(String[]::new);
                for (DnsOutcome o : DnsOutcome.values()) {
                    dnsLookups.remove(with(v, o.label()));
                }
                dnsUp.remove(v);
                dnsDuration.remove(v);
            }
            activeTcp.retainAll(tcp);
            activeTcp.addAll(tcp);
            activeDns.retainAll(dns);
            activeDns.addAll(dns);
        } finally {
            planLock.writeLock().unlock();
        }
    }

    static List<String> tcpLabels(TcpCheck c) {
        var m = c.member();
        return List.of(m.namespace(), m.cluster(), m.pod(), m.node(), c.port().name());
    }

    static List<String> dnsLabels(DnsCheck c) {
        var t = c.target();
        return List.of(t.namespace(), t.cluster(), t.kind().label(), t.pod(), t.type().name(), c.resolver().label());
    }

    private static Set<List<String>> difference(Set<List<String>> current, Set<List<String>> wanted) {
        Set<List<String>> gone = new HashSet<>(current);
        gone.removeAll(wanted);
        return gone;
    }

    private static String[] with(String[] base, String extra) {
        String[] out = Arrays.copyOf(base, base.length + 1);
        out[base.length] = extra;
        return out;
    }
}
