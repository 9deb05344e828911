package io.pxcprobe.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.mesh.PeerReply.Failure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading peers' answers and the merged table, from answers written as an agent writes them. */
class ClusterTableTest {
    private static final InetSocketAddress A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9797);

    /** An agent's /targets JSON: every pod's gcomm, ist and sst up, except {@code downPod}'s gcomm timing out. */
    private static String targets(String node, int pods, int downPod) {
        StringBuilder sb =
                new StringBuilder("{\"sourceNode\":\"" + node + "\",\"checksLeftOut\":0,\"future\":[1],\"tcp\":[");
        String sep = "";
        for (int p = 0; p < pods; p++) {
            for (String port : List.of("sst", "admin", "gcomm", "ist")) {
                boolean down = p == downPod && port.equals("gcomm");
                sb.append(sep)
                        .append("{\"namespace\":\"db\",\"cluster\":\"c1\",\"pod\":\"c1-pxc-")
                        .append(p)
                        .append("\",\"port\":\"")
                        .append(port)
                        .append("\",\"outcome\":\"")
                        .append(down ? "timeout" : "open")
                        .append("\",\"pathUp\":")
                        .append(!down)
                        .append(",\"newField\":\"ignored\"}");
                sep = ",";
            }
        }
        return sb.append("],\"backup\":[{\"namespace\":\"db\",\"cluster\":\"c1\",\"ready\":")
                .append(downPod < 0)
                .append(",\"failing\":")
                .append(downPod < 0 ? "[]" : "[\"gcomm\"]")
                .append("}]}")
                .toString();
    }

    private static PeerReply read(String json) {
        return PeerReplies.read(
                A, new HttpFetch.Response(200, json.getBytes(StandardCharsets.UTF_8), 1_000_000), null, null);
    }

    @Test
    void twentyPodsFitEightyColumnsInBlocksAndEveryPodIsShown() {
        List<PeerReply> replies = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            replies.add(read(targets("node-" + n, 20, n == 3 ? 10 : -1)));
        }
        ClusterView v = ClusterMerge.of("node-0", null, null, replies, 0, List.of(), 0.1);
        assertEquals(List.of("gcomm", "ist", "sst", "admin"), v.ports());
        List<String> pods = v.clusters().get(0).pods();
        assertEquals("c1-pxc-2", pods.get(2));
        assertEquals("c1-pxc-10", pods.get(10), "ordinals compare as numbers");
        String text = ClusterTable.render(v);
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= ClusterTable.WIDTH, "wider than 80: " + line);
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("SOURCE") && l.contains(" 19 ")), text);
        assertEquals(2, text.lines().filter(l -> l.startsWith("SOURCE")).count(), "two blocks of pods:\n" + text);
        assertTrue(text.contains("db/c1-pxc-10 gcomm timeout from node-3"), text);
        assertTrue(text.contains("backup of db/c1 would fail from node-3: gcomm"), text);
        assertTrue(
                text.lines().anyMatch(l -> l.startsWith("node-3") && l.contains("T...") && l.endsWith("NOT READY")),
                text);
        assertFalse(v.healthy());
    }

    @Test
    void longReasonsWrapAtEightyColumnsAndKeepEveryWord() {
        String line = "  10.237.121.23:9797 refused after 0.00 s: connection refused: no agent listens there"
                + " and a reason long enough to need a third line of its own, word by word";
        StringBuilder out = new StringBuilder();
        ClusterTable.wrap(out, line);
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.size() >= 2, out.toString());
        assertTrue(lines.stream().allMatch(l -> l.length() <= ClusterTable.WIDTH), out.toString());
        assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("      ")), out.toString());
        assertEquals(
                List.of(line.strip().split(" +")),
                List.of(out.toString().strip().split("\\s+")),
                "nothing lost or reordered");
        StringBuilder oneWord = new StringBuilder();
        ClusterTable.wrap(oneWord, "x".repeat(100));
        assertEquals("x".repeat(100) + "\n", oneWord.toString(), "a word longer than the line stays whole");
    }

    @Test
    void aHealthyMeshSaysSo() {
        ClusterView v = ClusterMerge.of(
                "node-0",
                "db",
                "c1",
                List.of(read(targets("node-0", 3, -1)), read(targets("node-1", 3, -1))),
                0,
                List.of(),
                0.1);
        assertTrue(v.healthy());
        assertTrue(ClusterTable.render(v).contains("every agent answered and every path is up"));
        ClusterView withSilent = ClusterMerge.of(
                "node-0",
                "db",
                "c1",
                List.of(read(targets("node-0", 3, -1)), new PeerReply.Unanswered(A, 5, Failure.TIMEOUT, "slow")),
                0,
                List.of(),
                0.1);
        assertFalse(withSilent.healthy(), "a silent agent is not a healthy mesh");
    }

    @Test
    void whatAPeerSendsCannotBreakTheTable() {
        assertEquals(
                Failure.BAD_BODY,
                assertInstanceOf(PeerReply.Unanswered.class, read("not json")).failure());
        assertEquals(
                Failure.BAD_BODY,
                assertInstanceOf(PeerReply.Unanswered.class, read("{\"tcp\":[]}"))
                        .failure());
        assertEquals(
                Failure.BAD_BODY,
                assertInstanceOf(PeerReply.Unanswered.class, read("[1,2]")).failure());
        PeerReply evil =
                read("{\"sourceNode\":\"n\\u001b[2Jx\\u202e" + "y".repeat(400) + "\",\"tcp\":[null,{\"pod\":null}]}");
        String node = assertInstanceOf(PeerReply.Answered.class, evil).targets().sourceNode();
        assertTrue(node.startsWith("n?[2Jx?y"), node);
        assertEquals(PeerReplies.MAX_STRING, node.length());
        assertTrue(
                assertInstanceOf(PeerReply.Answered.class, evil).targets().tcp().isEmpty());
    }

    @Test
    void repliesAreNarrowedToTheAskedCluster() {
        PeerReply r = PeerReplies.read(
                A, new HttpFetch.Response(200, targets("n", 2, -1).getBytes(StandardCharsets.UTF_8), 1), "db", "other");
        PeerTargets t = assertInstanceOf(PeerReply.Answered.class, r).targets();
        assertTrue(t.tcp().isEmpty() && t.backup().isEmpty(), t.toString());
    }
}
