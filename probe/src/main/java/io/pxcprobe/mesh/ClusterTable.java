package io.pxcprobe.mesh;

import io.pxcprobe.mesh.ClusterView.AgentAnswer;
import io.pxcprobe.mesh.ClusterView.DownPath;
import io.pxcprobe.mesh.ClusterView.Grid;
import io.pxcprobe.mesh.ClusterView.GridRow;
import io.pxcprobe.mesh.ClusterView.NotReady;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link ClusterView} as text for an 80-column terminal: per cluster a grid of source nodes by
 * pods (as many pods per block as fit; wider clusters continue in further blocks), then what is
 * down and from where, then the agents that did not answer.
 */
public final class ClusterTable {
    static final int WIDTH = 80;
    private static final int MAX_SOURCE = 18;
    private static final int MAX_NODES_LISTED = 6;
    private static final String BACKUP = "BACKUP";

    private ClusterTable() {}

    public static String render(ClusterView v) {
        StringBuilder out = new StringBuilder();
        out.append("# mesh from ")
                .append(v.askedBy())
                .append(": ")
                .append(v.agentsAnswered())
                .append(" of ")
                .append(v.agentsAsked())
                .append(" agents answered in ")
                .append(String.format(Locale.ROOT, "%.2f s", v.seconds()));
        if (v.namespace() != null || v.cluster() != null) {
            out.append(" (").append(v.namespace() == null ? "*" : v.namespace()).append('/');
            out.append(v.cluster() == null ? "*" : v.cluster()).append(')');
        }
        out.append('\n');
        if (v.agentsLeftOut() > 0) {
            out.append("# ").append(v.agentsLeftOut()).append(" more agents found and not asked (peers.maxAgents)\n");
        }
        v.problems().forEach(p -> out.append("# ").append(p).append('\n'));
        out.append("# a cell has one character per port: ")
                .append(String.join(" ", v.ports()))
                .append("\n# . up T timeout R refused U unreachable X reset E error ? pending - not probed\n");
        for (Grid g : v.clusters()) {
            out.append('\n');
            grid(g, v.ports().size(), out);
        }
        if (v.clusters().isEmpty()) {
            out.append("\nno PXC pods in any answer\n");
        }
        down(v, out);
        return out.toString();
    }

    private static void grid(Grid g, int ports, StringBuilder out) {
        String prefix = commonPrefix(g.pods());
        out.append(g.namespace()).append('/').append(g.cluster());
        out.append(prefix.isEmpty() ? "" : "  (pods " + prefix + "<column>)").append('\n');
        int source = "SOURCE".length();
        for (GridRow r : g.rows()) {
            source = Math.max(source, Math.min(MAX_SOURCE, r.source().length()));
        }
        List<String> heads =
                g.pods().stream().map(p -> p.substring(prefix.length())).toList();
        int cellWidth = ports;
        for (String h : heads) {
            cellWidth = Math.max(cellWidth, h.length());
        }
        int backupWidth = "not ready".length();
        int perBlock = Math.max(1, (WIDTH - 1 - (source + 1) - backupWidth) / (cellWidth + 1));
        for (int from = 0; from < Math.max(1, heads.size()); from += perBlock) {
            int to = Math.min(heads.size(), from + perBlock);
            if (from > 0) {
                out.append('\n');
            }
            StringBuilder head = new StringBuilder(pad("SOURCE", source)).append(' ');
            for (int i = from; i < to; i++) {
                head.append(pad(heads.get(i), cellWidth)).append(' ');
            }
            out.append(head.append(BACKUP).toString().stripTrailing()).append('\n');
            for (GridRow r : g.rows()) {
                StringBuilder line = new StringBuilder(pad(cut(r.source(), source), source)).append(' ');
                if (r.failure() != null) {
                    line.append("no answer: ").append(r.failure());
                } else {
                    for (int i = from; i < to; i++) {
                        line.append(pad(r.cells().get(i), cellWidth)).append(' ');
                    }
                    line.append(r.backup() == null ? "-" : r.backup().equals("ready") ? "ready" : "NOT READY");
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
        }
    }

    private static void down(ClusterView v, StringBuilder out) {
        List<String> lines = new ArrayList<>();
        for (DownPath d : v.down()) {
            lines.add(d.namespace() + "/" + d.pod() + " " + d.port() + " " + d.outcome() + " from "
                    + nodes(d.fromNodes()));
        }
        for (NotReady n : v.backupNotReady()) {
            lines.add("backup of " + n.namespace() + "/" + n.cluster() + " would fail from " + nodes(n.nodes()) + ": "
                    + String.join(", ", n.failing()));
        }
        if (!lines.isEmpty()) {
            out.append("\nDOWN\n");
            lines.forEach(l -> wrap(out, "  " + l));
        }
        List<AgentAnswer> silent =
                v.agents().stream().filter(a -> !a.answer().equals("ok")).toList();
        if (!silent.isEmpty()) {
            out.append("\nNO ANSWER\n");
            for (AgentAnswer a : silent) {
                wrap(
                        out,
                        "  " + a.address() + " " + a.answer()
                                + String.format(Locale.ROOT, " after %.2f s: ", a.seconds()) + a.detail());
            }
        }
        if (v.healthy()) {
            out.append("\nevery agent answered and every path is up\n");
        }
    }

    private static String nodes(List<String> nodes) {
        if (nodes.size() <= MAX_NODES_LISTED) {
            return String.join(", ", nodes);
        }
        return String.join(", ", nodes.subList(0, MAX_NODES_LISTED)) + " and " + (nodes.size() - MAX_NODES_LISTED)
                + " more";
    }

    /** The pods' common name up to its last dash, e.g. {@code cluster1-pxc-}; empty for a single pod without one. */
    static String commonPrefix(List<String> pods) {
        if (pods.isEmpty()) {
            return "";
        }
        String p = pods.get(0);
        for (String s : pods) {
            int n = 0;
            while (n < p.length() && n < s.length() && p.charAt(n) == s.charAt(n)) {
                n++;
            }
            p = p.substring(0, n);
        }
        int dash = p.lastIndexOf('-');
        return dash < 0 ? "" : p.substring(0, dash + 1);
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Appends {@code line}, broken at spaces into lines of at most {@link #WIDTH}, continued indented. */
    static void wrap(StringBuilder out, String line) {
        String rest = line;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut <= CONTINUATION.length()) {
                break; // one word longer than the line: leave it whole
            }
            out.append(rest, 0, cut).append('\n');
            rest = CONTINUATION + rest.substring(cut + 1);
        }
        out.append(rest).append('\n');
    }

    private static final String CONTINUATION = "      ";
}
