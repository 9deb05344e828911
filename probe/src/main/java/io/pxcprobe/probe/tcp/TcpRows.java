package io.pxcprobe.probe.tcp;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.kind.Format;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.util.List;
import java.util.Locale;

/** How a TCP check reads in {@code /targets} and {@code /probe}. */
final class TcpRows {
    static final List<String> COLUMNS =
            List.of("TARGET", "PORT", "ADDRESS", "OUTCOME", "PATH", "LATENCY", "AGE", "EVERY", "DETAIL");

    private TcpRows() {}

    /** The {@code /targets} JSON record; a pending check has nulls. */
    record Row(
            String namespace,
            String cluster,
            String pod,
            String targetNode,
            String port,
            int portNumber,
            String address,
            String expect,
            String mode,
            String outcome,
            Boolean pathUp,
            Double latencySeconds,
            Double kernelRttSeconds,
            Integer errno,
            String detail,
            Double ageSeconds,
            double intervalSeconds) {}

    /** The {@code /probe} JSON record. */
    record Report(
            String port,
            String address,
            int portNumber,
            String mode,
            String outcome,
            Double connectSeconds,
            Double kernelRttSeconds,
            int errno,
            String detail,
            boolean pathUp,
            String verdict) {}

    static String[] cells(TcpCheck c, TcpResult r, long now) {
        var m = c.member();
        String[] head = {
            m.namespace() + "/" + m.cluster() + "/" + m.pod(),
            c.port().name() + "/" + c.port().port(),
            addr(c)
        };
        if (r == null) {
            return new String[] {head[0], head[1], head[2], "pending", "-", "-", "-", every(c), "-"};
        }
        return new String[] {
            head[0],
            head[1],
            head[2],
            r.outcome().label(),
            r.pathUp() ? "up" : "DOWN",
            Format.seconds(r.latencySeconds()),
            Format.age(r.startedAtMillis(), now),
            every(c),
            r.detail().isEmpty() ? "-" : r.detail()
        };
    }

    /** The interval in force, the probe budget's stretch included. */
    private static String every(TcpCheck c) {
        long ms = c.interval().toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    static Row row(TcpCheck c, TcpResult r, long now) {
        var m = c.member();
        return new Row(
                m.namespace(),
                m.cluster(),
                m.pod(),
                m.node(),
                c.port().name(),
                c.port().port(),
                m.address().getHostAddress(),
                c.port().expect().label(),
                c.mode().label(),
                r == null ? "pending" : r.outcome().label(),
                r == null ? null : r.pathUp(),
                r == null || Double.isNaN(r.latencySeconds()) ? null : r.latencySeconds(),
                r == null || r.kernelRttMicros() <= 0 ? null : r.kernelRttMicros() / 1e6,
                r == null ? null : r.errno(),
                r == null ? null : r.detail(),
                r == null ? null : (now - r.startedAtMillis()) / 1000.0,
                c.interval().toMillis() / 1000.0);
    }

    static String reportLine(TcpResult r) {
        var c = r.check();
        StringBuilder sb = new StringBuilder("tcp  ")
                .append(c.port().name())
                .append(' ')
                .append(c.remote().getAddress().getHostAddress())
                .append(':')
                .append(c.port().port())
                .append(" (")
                .append(c.mode().label())
                .append("): ")
                .append(r.outcome().label());
        if (r.connectNanos() >= 0) {
            sb.append(" in ").append(Format.seconds(r.connectNanos() / 1e9));
        }
        if (r.kernelRttMicros() > 0) {
            sb.append(", kernel rtt ").append(Format.seconds(r.kernelRttMicros() / 1e6));
        }
        String problem = problem(r);
        if (!problem.isEmpty()) {
            sb.append(" [").append(problem).append(']');
        }
        return sb.append(" -> path ")
                .append(r.pathUp() ? "up" : "DOWN")
                .append(" (")
                .append(verdict(r))
                .append(')')
                .toString();
    }

    static Report reportRow(TcpResult r) {
        var c = r.check();
        return new Report(
                c.port().name(),
                c.remote().getAddress().getHostAddress(),
                c.port().port(),
                c.mode().label(),
                r.outcome().label(),
                r.connectNanos() >= 0 ? r.connectNanos() / 1e9 : null,
                r.kernelRttMicros() > 0 ? r.kernelRttMicros() / 1e6 : null,
                r.errno(),
                r.detail(),
                r.pathUp(),
                verdict(r));
    }

    /** The errno or error behind an outcome, empty when there is nothing to add. */
    static String problem(TcpResult r) {
        return r.errno() != 0 || r.outcome() == TcpOutcome.ERROR ? r.detail() : "";
    }

    /** What the outcome means for the path, in the SRE's words. */
    static String verdict(TcpResult r) {
        boolean reachable = r.check().port().expect() == PortSpec.Expect.REACHABLE;
        return switch (r.outcome()) {
            case OPEN -> "listening";
            case REFUSED ->
                reachable
                        ? "nothing listens now, which is normal outside a transfer; the path is open"
                        : "the host answered but nothing listens";
            case TIMEOUT -> "no answer: filtered (NetworkPolicy/firewall) or the host is gone";
            case UNREACHABLE -> "no route or ICMP unreachable";
            case RESET -> "reset during the handshake";
            case ERROR -> "local error";
        };
    }

    private static String addr(TcpCheck c) {
        String host = c.member().address().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + c.port().port();
    }
}
