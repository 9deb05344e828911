package io.pxcprobe.probe.dns;

import io.pxcprobe.kind.Format;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.result.DnsResult;
import java.util.List;
import java.util.Locale;

/** How a DNS check reads in {@code /targets} and {@code /probe}. */
final class DnsRows {
    static final List<String> COLUMNS = List.of("NAME", "TYPE", "RESOLVER", "OUTCOME", "LATENCY", "AGE", "ANSWER");

    private DnsRows() {}

    /** The {@code /targets} JSON record; a pending check has nulls. */
    record Row(
            String namespace,
            String cluster,
            String pod,
            String nameKind,
            String name,
            String type,
            String resolver,
            List<String> expected,
            String outcome,
            Double latencySeconds,
            List<String> answer,
            String detail,
            Double ageSeconds) {}

    /** The {@code /probe} JSON record. */
    record Report(
            String name,
            String type,
            String resolver,
            String outcome,
            Double seconds,
            List<String> answer,
            List<String> expected,
            String detail) {}

    static String[] cells(DnsCheck c, DnsResult r, long now) {
        var t = c.target();
        if (r == null) {
            return new String[] {t.name(), t.type().name(), c.resolver().label(), "pending", "-", "-", "-"};
        }
        return new String[] {
            t.name(),
            t.type().name(),
            c.resolver().label(),
            r.outcome().label(),
            Format.seconds(r.durationNanos() / 1e9),
            Format.age(r.startedAtMillis(), now),
            r.answer().isEmpty() ? "-" : String.join(",", r.answer())
        };
    }

    static Row row(DnsCheck c, DnsResult r, long now) {
        var t = c.target();
        return new Row(
                t.namespace(),
                t.cluster(),
                t.pod(),
                t.kind().label(),
                t.name(),
                t.type().name(),
                c.resolver().label(),
                expected(c),
                r == null ? "pending" : r.outcome().label(),
                r == null || r.durationNanos() < 0 ? null : r.durationNanos() / 1e9,
                r == null ? null : r.answer(),
                r == null ? null : r.detail(),
                r == null ? null : (now - r.startedAtMillis()) / 1000.0);
    }

    static String reportLine(DnsResult r) {
        var t = r.check().target();
        StringBuilder sb = new StringBuilder("dns  ")
                .append(t.type())
                .append(' ')
                .append(t.name())
                .append(" @")
                .append(r.check().resolver().label())
                .append(": ")
                .append(r.outcome().label());
        if (r.durationNanos() >= 0) {
            sb.append(" in ").append(Format.seconds(r.durationNanos() / 1e9));
        }
        sb.append(", answer ").append(r.answer().isEmpty() ? "none" : String.join(",", r.answer()));
        if (!t.expected().values().isEmpty()) {
            sb.append(", expected ")
                    .append(t.expected().match().name().toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(expected(r.check()));
        }
        if (!r.ok() && !r.detail().isEmpty()) {
            sb.append(" (").append(r.detail()).append(')');
        }
        return sb.toString();
    }

    static Report reportRow(DnsResult r) {
        var t = r.check().target();
        return new Report(
                t.name(),
                t.type().name(),
                r.check().resolver().label(),
                r.outcome().label(),
                r.durationNanos() >= 0 ? r.durationNanos() / 1e9 : null,
                r.answer(),
                expected(r.check()),
                r.detail());
    }

    private static List<String> expected(DnsCheck c) {
        return c.target().expected().values().stream().sorted().toList();
    }
}
