package io.pxcprobe.probe.dns;

import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.CheckScope;
import io.pxcprobe.kind.SeriesSpec;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import java.util.Arrays;
import java.util.List;

/** The DNS check: one name looked up at one resolver, judged against what discovery expects. */
public final class DnsKind implements CheckKind<DnsCheck, DnsResult> {
    /**
     * Service names belong to no pod: their {@code pod} label is {@code -}, never empty, because
     * Prometheus treats an empty label as absent and a ServiceMonitor with honorLabels would then
     * fill in the agent's own pod name.
     */
    public static final String NO_POD = "-";

    private static final double[] LOOKUP_SECONDS = {
        0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5
    };
    private static final SeriesSpec SERIES = new SeriesSpec(
            "pxc_probe_dns_lookups",
            "DNS checks by outcome.",
            "pxc_probe_dns_up",
            "1 when the last lookup was ok.",
            "pxc_probe_dns_lookup_duration_seconds",
            "Time to a DNS reply, for lookups that got one.",
            List.of("namespace", "cluster", "name_kind", "pod", "rrtype", "resolver"),
            Arrays.stream(DnsOutcome.values()).map(DnsOutcome::label).toList(),
            LOOKUP_SECONDS);

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public Class<DnsCheck> checkType() {
        return DnsCheck.class;
    }

    @Override
    public Class<DnsResult> resultType() {
        return DnsResult.class;
    }

    @Override
    public CheckScope scope(DnsCheck c) {
        var t = c.target();
        return new CheckScope(t.namespace(), t.cluster(), t.pod(), null);
    }

    @Override
    public SeriesSpec series() {
        return SERIES;
    }

    @Override
    public String[] labelValues(DnsCheck c) {
        var t = c.target();
        String pod = t.pod().isEmpty() ? NO_POD : t.pod();
        return new String[] {
            t.namespace(),
            t.cluster(),
            t.kind().label(),
            pod,
            t.type().name(),
            c.resolver().label()
        };
    }

    @Override
    public int outcome(DnsResult r) {
        return r.outcome().ordinal();
    }

    @Override
    public String outcomeLabel(DnsResult r) {
        return r.outcome().label();
    }

    @Override
    public boolean healthy(DnsResult r) {
        return r.ok();
    }

    @Override
    public double latencySeconds(DnsResult r) {
        return r.durationNanos() >= 0 ? r.durationNanos() / 1e9 : Double.NaN;
    }

    @Override
    public String subject(DnsCheck c) {
        var t = c.target();
        return "dns " + t.type() + " " + t.name() + " @" + c.resolver().label();
    }

    @Override
    public String problem(DnsResult r) {
        return r.ok() ? "" : r.detail();
    }

    @Override
    public String title() {
        return "DNS";
    }

    @Override
    public List<String> columns() {
        return DnsRows.COLUMNS;
    }

    @Override
    public String[] cells(DnsCheck c, DnsResult latest, long nowMillis) {
        return DnsRows.cells(c, latest, nowMillis);
    }

    @Override
    public Object row(DnsCheck c, DnsResult latest, long nowMillis) {
        return DnsRows.row(c, latest, nowMillis);
    }

    @Override
    public String reportLine(DnsResult r) {
        return DnsRows.reportLine(r);
    }

    @Override
    public Object reportRow(DnsResult r) {
        return DnsRows.reportRow(r);
    }
}
