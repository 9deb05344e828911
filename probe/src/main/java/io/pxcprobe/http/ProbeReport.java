package io.pxcprobe.http;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How an ad hoc probe reads: one line per phase, then a verdict per path. */
final class ProbeReport {
    private ProbeReport() {
    }

    static String text(String title, String node, List<DnsResult> dns, List<TcpResult> tcp) {
        StringBuilder sb = new StringBuilder();
        sb.append("probe ").append(title).append(" from ").append(node).append(" at ").append(Instant.now()).append('\n');
        for (DnsResult r : dns) {
            var t = r.check().target();
            sb.append("  dns  ").append(t.type()).append(' ').append(t.name()).append(" @").append(r.check().resolver().label())
                    .append(": ").append(r.outcome().label());
            if (r.durationNanos() >= 0) {
                sb.append(" in ").append(Format.seconds(r.durationNanos() / 1e9));
            }
            sb.append(", answer ").append(r.answer().isEmpty() ? "none" : String.join(",", r.answer()));
            if (!t.expected().values().isEmpty()) {
                sb.append(", expected ").append(t.expected().match().name().toLowerCase(Locale.ROOT)).append(' ')
                        .append(t.expected().values().stream().sorted().toList());
            }
            if (!r.ok() && !r.detail().isEmpty()) {
                sb.append(" (").append(r.detail()).append(')');
            }
            sb.append('\n');
        }
        for (TcpResult r : tcp) {
            var c = r.check();
            sb.append("  tcp  ").append(c.port().name()).append(' ')
                    .append(c.remote().getAddress().getHostAddress()).append(':').append(c.port().port())
                    .append(" (").append(c.mode().label()).append("): ").append(r.outcome().label());
            if (r.connectNanos() >= 0) {
                sb.append(" in ").append(Format.seconds(r.connectNanos() / 1e9));
            }
            if (r.kernelRttMicros() > 0) {
                sb.append(", kernel rtt ").append(Format.seconds(r.kernelRttMicros() / 1e6));
            }
            if (r.errno() != 0 || r.outcome() == TcpOutcome.ERROR) {
                sb.append(" [").append(r.detail()).append(']');
            }
            sb.append(" -> path ").append(r.pathUp() ? "up" : "DOWN");
            sb.append(" (").append(verdict(r)).append(")\n");
        }
        return sb.toString();
    }

    static Map<String, Object> json(String title, String node, List<DnsResult> dns, List<TcpResult> tcp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("target", title);
        body.put("sourceNode", node);
        List<Map<String, Object>> d = new ArrayList<>();
        for (DnsResult r : dns) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.check().target().name());
            m.put("type", r.check().target().type().name());
            m.put("resolver", r.check().resolver().label());
            m.put("outcome", r.outcome().label());
            m.put("seconds", r.durationNanos() >= 0 ? r.durationNanos() / 1e9 : null);
            m.put("answer", r.answer());
            m.put("expected", r.check().target().expected().values().stream().sorted().toList());
            m.put("detail", r.detail());
            d.add(m);
        }
        List<Map<String, Object>> t = new ArrayList<>();
        for (TcpResult r : tcp) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("port", r.check().port().name());
            m.put("address", r.check().remote().getAddress().getHostAddress());
            m.put("portNumber", r.check().port().port());
            m.put("mode", r.check().mode().label());
            m.put("outcome", r.outcome().label());
            m.put("connectSeconds", r.connectNanos() >= 0 ? r.connectNanos() / 1e9 : null);
            m.put("kernelRttSeconds", r.kernelRttMicros() > 0 ? r.kernelRttMicros() / 1e6 : null);
            m.put("errno", r.errno());
            m.put("detail", r.detail());
            m.put("pathUp", r.pathUp());
            m.put("verdict", verdict(r));
            t.add(m);
        }
        body.put("dns", d);
        body.put("tcp", t);
        return body;
    }

    /** What the outcome means for the path, in the SRE's words. */
    static String verdict(TcpResult r) {
        boolean reachable = r.check().port().expect() == PortSpec.Expect.REACHABLE;
        return switch (r.outcome()) {
            case OPEN -> "listening";
            case REFUSED -> reachable ? "nothing listens now, which is normal outside a transfer; the path is open"
                    : "the host answered but nothing listens";
            case TIMEOUT -> "no answer: filtered (NetworkPolicy/firewall) or the host is gone";
            case UNREACHABLE -> "no route or ICMP unreachable";
            case RESET -> "reset during the handshake";
            case ERROR -> "local error";
        };
    }
}
