package io.pxcprobe.mesh;

import io.pxcprobe.mesh.PeerReply.Failure;
import io.pxcprobe.mesh.PeerTargets.BackupRow;
import io.pxcprobe.mesh.PeerTargets.TcpRow;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one agent's HTTP answer into what {@code /cluster} keeps of it: the rows of the asked
 * namespace and cluster, every string made printable and short. Everything here came from the
 * network, so nothing in it may throw past this class or reach a terminal as a control sequence.
 */
public final class PeerReplies {
    /** Longer than any Kubernetes name (253) or address; a longer string is cut. */
    static final int MAX_STRING = 253;

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private PeerReplies() {}

    /** @param namespace, cluster the filter {@code /cluster} was asked with, null for any */
    public static PeerReply read(InetSocketAddress address, HttpFetch fetch, String namespace, String cluster) {
        if (fetch instanceof HttpFetch.Failed f) {
            return missed(address, f);
        }
        HttpFetch.Response r = (HttpFetch.Response) fetch;
        if (r.status() != 200) {
            return new PeerReply.Unanswered(
                    address, r.elapsedNanos(), Failure.HTTP_STATUS, "HTTP status " + r.status() + " to /targets");
        }
        return parse(address, r, namespace, cluster);
    }

    public static PeerReply missed(InetSocketAddress address, HttpFetch.Failed f) {
        return new PeerReply.Unanswered(address, f.elapsedNanos(), f.failure(), clean(f.detail()));
    }

    private static PeerReply parse(InetSocketAddress address, HttpFetch.Response r, String namespace, String cluster) {
        PeerTargets t;
        try {
            t = JSON.readValue(r.body(), PeerTargets.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return new PeerReply.Unanswered(
                    address, r.elapsedNanos(), Failure.BAD_BODY, "not the JSON of /targets: " + clean(e.getMessage()));
        }
        if (t == null || t.sourceNode() == null || t.sourceNode().isBlank()) {
            return new PeerReply.Unanswered(
                    address, r.elapsedNanos(), Failure.BAD_BODY, "the answer names no sourceNode");
        }
        List<TcpRow> tcp = new ArrayList<>();
        for (TcpRow row : t.tcp()) {
            if (row != null
                    && row.pod() != null
                    && row.port() != null
                    && in(row.namespace(), row.cluster(), namespace, cluster)) {
                tcp.add(new TcpRow(
                        clean(row.namespace()),
                        clean(row.cluster()),
                        clean(row.pod()),
                        clean(row.port()),
                        row.portNumber(),
                        clean(row.address()),
                        clean(row.outcome()),
                        row.pathUp()));
            }
        }
        List<BackupRow> backup = new ArrayList<>();
        for (BackupRow b : t.backup()) {
            if (b != null && b.cluster() != null && in(b.namespace(), b.cluster(), namespace, cluster)) {
                List<String> failing = b.failing() == null
                        ? List.of()
                        : b.failing().stream()
                                .filter(Objects::nonNull)
                                .limit(16)
                                .map(PeerReplies::clean)
                                .toList();
                backup.add(new BackupRow(clean(b.namespace()), clean(b.cluster()), b.ready(), failing));
            }
        }
        return new PeerReply.Answered(
                address, r.elapsedNanos(), new PeerTargets(clean(t.sourceNode()), t.checksLeftOut(), tcp, backup));
    }

    private static boolean in(String rowNamespace, String rowCluster, String namespace, String cluster) {
        return (namespace == null || namespace.equals(rowNamespace)) && (cluster == null || cluster.equals(rowCluster));
    }

    /** Printable and at most {@link #MAX_STRING} characters; null stays null. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String cut = s.length() > MAX_STRING ? s.substring(0, MAX_STRING - 1) + "~" : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> b.appendCodePoint(printable(c) ? c : '?'));
        return b.toString();
    }

    /** Control and format characters (bidi overrides among them) could rewrite a terminal line. */
    private static boolean printable(int c) {
        return !Character.isISOControl(c) && Character.isDefined(c) && Character.getType(c) != Character.FORMAT;
    }
}
