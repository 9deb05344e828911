package io.pxcprobe.mesh;

import io.pxcprobe.mesh.ClusterView.AgentAnswer;
import io.pxcprobe.mesh.ClusterView.DownPath;
import io.pxcprobe.mesh.ClusterView.Grid;
import io.pxcprobe.mesh.ClusterView.GridRow;
import io.pxcprobe.mesh.ClusterView.NotReady;
import io.pxcprobe.mesh.PeerTargets.BackupRow;
import io.pxcprobe.mesh.PeerTargets.TcpRow;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Merges the agents' replies into one {@link ClusterView}. */
public final class ClusterMerge {
    /** The backup's ports first, in the order of the flow; any other port after them by name. */
    private static final List<String> PORT_ORDER = List.of("gcomm", "ist", "sst", "admin");

    private ClusterMerge() {}

    /** What a pod's port looks like in a cell. */
    static char cell(TcpRow r) {
        if (r == null) {
            return '-';
        }
        if (r.pathUp() == null) {
            return '?';
        }
        if (r.pathUp()) {
            return '.';
        }
        return switch (r.outcome() == null ? "" : r.outcome()) {
            case "refused" -> 'R';
            case "timeout" -> 'T';
            case "unreachable" -> 'U';
            case "reset" -> 'X';
            case "error" -> 'E';
            default -> '!';
        };
    }

    public static ClusterView of(
            String askedBy,
            String namespace,
            String cluster,
            List<PeerReply> replies,
            int leftOut,
            List<String> problems,
            double seconds) {
        List<PeerReply.Answered> answered = new ArrayList<>();
        Set<String> nodes = new HashSet<>();
        List<AgentAnswer> agents = new ArrayList<>();
        List<PeerReply.Unanswered> silent = new ArrayList<>();
        for (PeerReply r : replies) {
            switch (r) {
                case PeerReply.Answered a -> {
                    boolean first = nodes.add(a.targets().sourceNode());
                    if (first) {
                        answered.add(a);
                    }
                    agents.add(new AgentAnswer(
                            text(a.address()),
                            a.targets().sourceNode(),
                            "ok",
                            a.elapsedNanos() / 1e9,
                            first ? "" : "the same node as an earlier answer: left out"));
                }
                case PeerReply.Unanswered u -> {
                    silent.add(u);
                    agents.add(new AgentAnswer(
                            text(u.address()), null, u.failure().label(), u.elapsedNanos() / 1e9, u.detail()));
                }
            }
        }
        answered.sort(Comparator.comparing(a -> a.targets().sourceNode()));

        Set<String> portNames = new TreeSet<>(ClusterMerge::comparePorts);
        Map<String, Cluster> clusters = new TreeMap<>();
        for (PeerReply.Answered a : answered) {
            for (TcpRow row : a.targets().tcp()) {
                portNames.add(row.port());
                clusters.computeIfAbsent(
                                key(row.namespace(), row.cluster()), k -> new Cluster(row.namespace(), row.cluster()))
                        .add(a.targets().sourceNode(), row);
            }
            for (BackupRow b : a.targets().backup()) {
                clusters.computeIfAbsent(key(b.namespace(), b.cluster()), k -> new Cluster(b.namespace(), b.cluster()))
                        .backup
                        .put(a.targets().sourceNode(), b);
            }
        }
        List<String> ports = List.copyOf(portNames);

        List<Grid> grids = new ArrayList<>();
        List<DownPath> down = new ArrayList<>();
        List<NotReady> notReady = new ArrayList<>();
        for (Cluster c : clusters.values()) {
            List<String> pods =
                    c.pods.stream().sorted(ClusterMerge::comparePods).toList();
            List<GridRow> rows = new ArrayList<>();
            for (PeerReply.Answered a : answered) {
                String node = a.targets().sourceNode();
                Map<String, TcpRow> mine = c.rows.getOrDefault(node, Map.of());
                List<String> cells = new ArrayList<>();
                for (String pod : pods) {
                    StringBuilder sb = new StringBuilder(ports.size());
                    ports.forEach(port -> sb.append(cell(mine.get(pod + "\n" + port))));
                    cells.add(sb.toString());
                }
                BackupRow b = c.backup.get(node);
                rows.add(new GridRow(
                        node, cells, b == null ? null : Boolean.TRUE.equals(b.ready()) ? "ready" : "not ready", null));
            }
            for (PeerReply.Unanswered u : silent) {
                rows.add(new GridRow(
                        text(u.address()), List.of(), null, u.failure().label()));
            }
            grids.add(new Grid(c.namespace, c.cluster, pods, rows));
            down.addAll(c.down(pods, ports));
            notReady.addAll(c.notReady());
        }
        boolean healthy = silent.isEmpty() && down.isEmpty() && notReady.isEmpty() && leftOut == 0;
        return new ClusterView(
                askedBy,
                namespace,
                cluster,
                replies.size(),
                answered.size(),
                leftOut,
                seconds,
                ports,
                grids,
                down,
                notReady,
                agents,
                List.copyOf(problems),
                healthy);
    }

    private static final class Cluster {
        final String namespace;
        final String cluster;
        final Set<String> pods = new LinkedHashSet<>();
        /** source node -> "pod\nport" -> row */
        final Map<String, Map<String, TcpRow>> rows = new TreeMap<>();

        final Map<String, BackupRow> backup = new TreeMap<>();

        Cluster(String namespace, String cluster) {
            this.namespace = namespace;
            this.cluster = cluster;
        }

        void add(String node, TcpRow row) {
            pods.add(row.pod());
            rows.computeIfAbsent(node, k -> new HashMap<>()).putIfAbsent(row.pod() + "\n" + row.port(), row);
        }

        List<DownPath> down(List<String> pods, List<String> ports) {
            Map<String, DownPath> byPath = new LinkedHashMap<>();
            for (String pod : pods) {
                for (String port : ports) {
                    rows.forEach((node, mine) -> {
                        TcpRow r = mine.get(pod + "\n" + port);
                        if (r != null && Boolean.FALSE.equals(r.pathUp())) {
                            byPath.computeIfAbsent(
                                            pod + "\n" + port + "\n" + r.outcome(),
                                            k -> new DownPath(
                                                    namespace, cluster, pod, port, r.outcome(), new ArrayList<>()))
                                    .fromNodes()
                                    .add(node);
                        }
                    });
                }
            }
            return byPath.values().stream()
                    .map(d -> new DownPath(
                            d.namespace(), d.cluster(), d.pod(), d.port(), d.outcome(), List.copyOf(d.fromNodes())))
                    .toList();
        }

        List<NotReady> notReady() {
            Map<List<String>, List<String>> byFailing = new LinkedHashMap<>();
            backup.forEach((node, b) -> {
                if (!Boolean.TRUE.equals(b.ready())) {
                    List<String> failing = b.failing().isEmpty() ? List.of("unknown") : b.failing();
                    byFailing.computeIfAbsent(failing, k -> new ArrayList<>()).add(node);
                }
            });
            List<NotReady> out = new ArrayList<>();
            byFailing.forEach(
                    (failing, nodes) -> out.add(new NotReady(namespace, cluster, failing, List.copyOf(nodes))));
            return out;
        }
    }

    private static String key(String namespace, String cluster) {
        return namespace + "/" + cluster;
    }

    static String text(InetSocketAddress a) {
        String host =
                a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static int comparePorts(String a, String b) {
        int ia = PORT_ORDER.indexOf(a);
        int ib = PORT_ORDER.indexOf(b);
        if (ia >= 0 || ib >= 0) {
            return ia < 0 ? 1 : ib < 0 ? -1 : Integer.compare(ia, ib);
        }
        return a.compareTo(b);
    }

    /** By name, with the ordinal compared as a number: pxc-2 before pxc-10. */
    static int comparePods(String a, String b) {
        int da = digitsFrom(a);
        int db = digitsFrom(b);
        String pa = a.substring(0, da);
        String pb = b.substring(0, db);
        if (pa.equals(pb) && da < a.length() && db < b.length() && a.length() - da < 10 && b.length() - db < 10) {
            return Long.compare(Long.parseLong(a.substring(da)), Long.parseLong(b.substring(db)));
        }
        return a.compareTo(b);
    }

    private static int digitsFrom(String s) {
        int i = s.length();
        while (i > 0 && Character.isDigit(s.charAt(i - 1)) && s.charAt(i - 1) < 128) {
            i--;
        }
        return i;
    }
}
