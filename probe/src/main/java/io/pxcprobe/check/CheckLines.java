package io.pxcprobe.check;

import io.pxcprobe.backup.BackupPaths;
import io.pxcprobe.backup.BackupSchedules;
import io.pxcprobe.backup.Requirement;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One line per requirement of a backup check: what was expected, what was seen, what to do next. */
final class CheckLines {
    private static final String RUNBOOK = "docs/runbooks/PXCBackupWillFail.md";
    // only a connection from inside a PXC pod proves these; check runs outside them, once
    private static final String REVERSE_NEXT = "the PXC pods' sidecars probe it: read the agents' verdict"
            + " (curl agent:9797/cluster); see docs/reverse-paths.md";

    private CheckLines() {}

    /**
     * @param status {@code ok}, {@code FAIL}, {@code pending} (no result in time) or {@code skip} (not probed)
     */
    record Line(String status, String requirement, String what, String expected, String seen, String next) {}

    static boolean belongsTo(Check c, String namespace, String cluster) {
        return switch (c) {
            case TcpCheck t ->
                t.member().namespace().equals(namespace) && t.member().cluster().equals(cluster);
            case DnsCheck d ->
                d.target().namespace().equals(namespace) && d.target().cluster().equals(cluster);
        };
    }

    static List<Line> of(BackupCheck.Outcome o) {
        List<Line> lines = new ArrayList<>();
        lines.add(api(o));
        boolean admin = false;
        for (Check c : BackupCheck.ofCluster(o.plan(), o.namespace(), o.cluster())) {
            Line l = switch (c) {
                case TcpCheck t -> t.member().ready() ? tcp(o, t) : null;
                case DnsCheck d -> dns(o, d);
            };
            if (l != null) {
                lines.add(l);
                admin |= l.requirement().equals(Requirement.ADMIN.label());
            }
        }
        // the unready service lists every pod, Ready or not: it proves no backup path but tells of DNS
        for (DnsCheck d : o.plan().dnsChecks()) {
            if (d.target().kind() == NameKind.UNREADY && belongsTo(d, o.namespace(), o.cluster())) {
                Line l = dns(o, d, "info unready");
                lines.add(new Line(
                        l.status().equals("ok") ? "info" : "info!",
                        l.requirement(),
                        l.what(),
                        l.expected(),
                        l.seen(),
                        l.next()));
            }
        }
        // IST and SST prove no backup path (the SST stream runs donor -> backup pod) but tell of the node's network
        for (TcpCheck t : o.plan().tcpChecks()) {
            if (BackupPaths.requirementOf(t) == null
                    && t.member().ready()
                    && belongsTo(t, o.namespace(), o.cluster())) {
                Line l = tcp(o, t, "info " + t.port().name());
                lines.add(new Line(
                        l.status().equals("ok") ? "info" : "info!",
                        l.requirement(),
                        l.what(),
                        l.expected(),
                        l.seen(),
                        l.next()));
            }
        }
        if (!admin) {
            lines.add(new Line(
                    "skip",
                    Requirement.ADMIN.label(),
                    "port 33062 of each Ready pod",
                    "-",
                    "not probed",
                    "probed only in syn mode (needs CAP_NET_RAW): a connect would count toward max_connect_errors"));
        }
        lines.add(new Line(
                "skip",
                Requirement.REVERSE_GCOMM.label(),
                "PXC pods -> the backup pod's 4567",
                "-",
                "not probed by check",
                REVERSE_NEXT));
        lines.add(new Line(
                "skip",
                Requirement.REVERSE_SST.label(),
                "donor -> the backup pod's 4444",
                "-",
                "not probed by check",
                REVERSE_NEXT));
        return lines;
    }

    private static Line api(BackupCheck.Outcome o) {
        List<Member> members = o.plan().snapshot().members().stream()
                .filter(m -> m.namespace().equals(o.namespace()) && m.cluster().equals(o.cluster()))
                .toList();
        long ready = members.stream().filter(Member::ready).count();
        String key = o.namespace() + "/" + o.cluster();
        String state = o.plan().snapshot().clusterStates().get(key);
        StringBuilder seen = new StringBuilder()
                .append(members.size())
                .append(" pods, ")
                .append(ready)
                .append(" Ready");
        if (state != null) {
            seen.append(", state ").append(state);
        }
        BackupSpec spec = o.plan().snapshot().backups().get(key);
        if (spec != null && spec.tls() != null) {
            seen.append(spec.tls() ? ", TLS on" : ", TLS off (unsafeFlags.tls)");
        }
        BackupSchedules schedules = new BackupSchedules();
        schedules.nextRuns(o.plan().snapshot(), ZonedDateTime.now(ZoneOffset.UTC)).stream()
                .filter(r -> r.namespace().equals(o.namespace()) && r.cluster().equals(o.cluster()))
                .forEach(r -> seen.append(", next backup ")
                        .append(r.schedule())
                        .append(" at ")
                        .append(r.at().toInstant())
                        .append(" (storage ")
                        .append(r.storage())
                        .append(')'));
        schedules.eligibility(o.plan().snapshot()).stream()
                .filter(e -> e.namespace().equals(o.namespace()) && e.cluster().equals(o.cluster()) && !e.eligible())
                .forEach(e -> seen.append(", storage ")
                        .append(e.storage())
                        .append(" cannot run here: ")
                        .append(e.refusal()));
        if (!o.problems().isEmpty()) {
            return new Line(
                    "FAIL",
                    "api",
                    "discovery of " + key,
                    "in sync",
                    String.join("; ", o.problems()),
                    "check the API server, the kubeconfig and RBAC (pods, perconaxtradbclusters, nodes)");
        }
        if (ready == 0) {
            return new Line(
                    "FAIL",
                    "api",
                    "the pods of " + key,
                    "at least one Ready pod",
                    seen.toString(),
                    members.isEmpty()
                            ? "no PXC pod of this cluster was found: check --namespace, --cluster and the pod selector"
                            : "no donor: wait for a pod to become Ready (kubectl -n " + o.namespace() + " get pods)");
        }
        return new Line("ok", "api", "the pods of " + key, "at least one Ready pod", seen.toString(), "-");
    }

    private static Line tcp(BackupCheck.Outcome o, TcpCheck c) {
        return tcp(o, c, BackupPaths.requirementOf(c).label());
    }

    private static Line tcp(BackupCheck.Outcome o, TcpCheck c, String requirement) {
        String what = c.member().pod() + " " + c.remote().getAddress().getHostAddress() + ":"
                + c.port().port() + " (" + c.port().name() + ", " + c.mode().label() + ")";
        String expected = c.port().expect() == PortSpec.Expect.REACHABLE ? "open or refused" : "open";
        TcpResult r = o.latest().latest(c, TcpResult.class).orElse(null);
        if (r == null) {
            return new Line("pending", requirement, what, expected, "no result in time", "run again; see " + RUNBOOK);
        }
        String seen = r.outcome().label() + (r.detail().isEmpty() ? "" : " [" + r.detail() + "]");
        if (r.pathUp()) {
            return new Line("ok", requirement, what, expected, seen, "-");
        }
        String next = switch (r.outcome()) {
            case TIMEOUT ->
                "a NetworkPolicy or firewall drops port " + c.port().port() + " from here, or the pod's node is down";
            case REFUSED ->
                "nothing listens on " + c.port().port() + ": is mysqld up in "
                        + c.member().pod() + "?";
            case RESET -> "something on the path rejects port " + c.port().port() + " (a policy's reject)";
            case UNREACHABLE -> "no route to the pod from this node: check the node's network";
            default -> "local error on this node: " + r.detail();
        };
        return new Line("FAIL", requirement, what, expected, seen, next + "; see " + RUNBOOK);
    }

    private static Line dns(BackupCheck.Outcome o, DnsCheck c) {
        var t = c.target();
        boolean readyPod = t.pod().isEmpty()
                || o.plan().snapshot().members().stream()
                        .anyMatch(m -> m.pod().equals(t.pod()) && m.namespace().equals(t.namespace()) && m.ready());
        if (!readyPod) {
            return null;
        }
        return dns(o, c, BackupPaths.requirementOf(c).label());
    }

    private static Line dns(BackupCheck.Outcome o, DnsCheck c, String requirement) {
        var t = c.target();
        String what = t.type() + " " + t.name() + " @" + c.resolver().label();
        String expected = t.expected().match().name().toLowerCase(Locale.ROOT) + " "
                + t.expected().values().stream().sorted().toList();
        DnsResult r = o.latest().latest(c, DnsResult.class).orElse(null);
        if (r == null) {
            return new Line("pending", requirement, what, expected, "no answer in time", "run again; see " + RUNBOOK);
        }
        String seen = r.outcome().label() + " " + r.answer() + (r.detail().isEmpty() ? "" : " [" + r.detail() + "]");
        if (r.ok()) {
            return new Line("ok", requirement, what, expected, seen, "-");
        }
        String next = r.outcome() == DnsOutcome.MISMATCH
                ? "stale or incomplete DNS: compare with kubectl -n " + t.namespace() + " get endpoints; see " + RUNBOOK
                : "the resolver fails this name: check CoreDNS (kubectl -n kube-system logs -l k8s-app=kube-dns); see "
                        + RUNBOOK;
        return new Line("FAIL", requirement, what, expected, seen, next);
    }
}
