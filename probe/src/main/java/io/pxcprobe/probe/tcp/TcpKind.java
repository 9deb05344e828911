package io.pxcprobe.probe.tcp;

import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.CheckScope;
import io.pxcprobe.kind.ResultSlot;
import io.pxcprobe.kind.SeriesSpec;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.util.Arrays;
import java.util.List;

/** The TCP path check: a handshake to one member's port, in connect or syn mode. */
public final class TcpKind implements CheckKind<TcpCheck, TcpResult> {
    /** In-cluster round trips (100 us) up to the longest timeout worth seeing (5 s). */
    private static final double[] HANDSHAKE_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5
    };

    private static final SeriesSpec SERIES = new SeriesSpec(
            "pxc_probe_tcp_probes",
            "TCP path checks by outcome.",
            "pxc_probe_tcp_path_up",
            "1 when the last check proved the path (open, or refused where expect=reachable).",
            "pxc_probe_tcp_connect_duration_seconds",
            "Handshake round-trip time of answered checks (kernel RTT where measured).",
            List.of("namespace", "cluster", "pod", "target_node", "port"),
            Arrays.stream(TcpOutcome.values()).map(TcpOutcome::label).toList(),
            HANDSHAKE_SECONDS);

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public Class<TcpCheck> checkType() {
        return TcpCheck.class;
    }

    @Override
    public Class<TcpResult> resultType() {
        return TcpResult.class;
    }

    @Override
    public CheckScope scope(TcpCheck c) {
        var m = c.member();
        return new CheckScope(m.namespace(), m.cluster(), m.pod(), c.port().name());
    }

    @Override
    public SeriesSpec series() {
        return SERIES;
    }

    @Override
    public String[] labelValues(TcpCheck c) {
        var m = c.member();
        return new String[] {
            m.namespace(), m.cluster(), m.pod(), m.node(), c.port().name()
        };
    }

    @Override
    public int outcome(TcpResult r) {
        return r.outcome().ordinal();
    }

    @Override
    public String outcomeLabel(TcpResult r) {
        return r.outcome().label();
    }

    @Override
    public boolean healthy(TcpResult r) {
        return r.pathUp();
    }

    @Override
    public double latencySeconds(TcpResult r) {
        return r.latencySeconds();
    }

    @Override
    public String subject(TcpCheck c) {
        var m = c.member();
        return c.port().name() + " " + m.pod() + " (" + m.namespace() + "/" + m.cluster() + " "
                + c.remote().getAddress().getHostAddress() + ":" + c.port().port() + ")";
    }

    @Override
    public String problem(TcpResult r) {
        return TcpRows.problem(r);
    }

    @Override
    public String title() {
        return "TCP paths";
    }

    @Override
    public List<String> columns() {
        return TcpRows.COLUMNS;
    }

    @Override
    public String[] cells(TcpCheck c, TcpResult latest, long nowMillis) {
        return TcpRows.cells(c, latest, nowMillis);
    }

    @Override
    public Object row(TcpCheck c, TcpResult latest, long nowMillis) {
        return TcpRows.row(c, latest, nowMillis);
    }

    @Override
    public String reportLine(TcpResult r) {
        return TcpRows.reportLine(r);
    }

    @Override
    public Object reportRow(TcpResult r) {
        return TcpRows.reportRow(r);
    }

    @Override
    public ResultSlot<TcpCheck, TcpResult> newSlot() {
        return new TcpResultSlot();
    }
}
