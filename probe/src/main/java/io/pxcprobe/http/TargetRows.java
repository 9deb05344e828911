package io.pxcprobe.http;

import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpResult;
import java.util.List;
import java.util.Optional;

/** The JSON records of {@code /targets}: their fields are its schema. A check with no result yet is {@code pending} with nulls. */
final class TargetRows {
    private TargetRows() {
    }

    record Tcp(String namespace, String cluster, String pod, String targetNode, String port, int portNumber,
               String address, String expect, String mode, String outcome, Boolean pathUp, Double latencySeconds,
               Double kernelRttSeconds, Integer errno, String detail, Double ageSeconds) {
    }

    record Dns(String namespace, String cluster, String pod, String nameKind, String name, String type,
               String resolver, List<String> expected, String outcome, Double latencySeconds, List<String> answer,
               String detail, Double ageSeconds) {
    }

    static Tcp tcp(TcpCheck c, Optional<TcpResult> latest, long nowMillis) {
        var m = c.member();
        TcpResult r = latest.orElse(null);
        return new Tcp(m.namespace(), m.cluster(), m.pod(), m.node(), c.port().name(), c.port().port(),
                m.address().getHostAddress(), c.port().expect().label(), c.mode().label(),
                r == null ? "pending" : r.outcome().label(),
                r == null ? null : r.pathUp(),
                r == null || Double.isNaN(r.latencySeconds()) ? null : r.latencySeconds(),
                r == null || r.kernelRttMicros() <= 0 ? null : r.kernelRttMicros() / 1e6,
                r == null ? null : r.errno(),
                r == null ? null : r.detail(),
                r == null ? null : (nowMillis - r.startedAtMillis()) / 1000.0);
    }

    static Dns dns(DnsCheck c, Optional<DnsResult> latest, long nowMillis) {
        var t = c.target();
        DnsResult r = latest.orElse(null);
        return new Dns(t.namespace(), t.cluster(), t.pod(), t.kind().label(), t.name(), t.type().name(),
                c.resolver().label(), t.expected().values().stream().sorted().toList(),
                r == null ? "pending" : r.outcome().label(),
                r == null || r.durationNanos() < 0 ? null : r.durationNanos() / 1e9,
                r == null ? null : r.answer(),
                r == null ? null : r.detail(),
                r == null ? null : (nowMillis - r.startedAtMillis()) / 1000.0);
    }
}
