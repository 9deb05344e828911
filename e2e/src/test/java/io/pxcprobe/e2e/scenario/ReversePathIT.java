package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.BackupPod;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Garbd;
import io.pxcprobe.e2e.testbed.Sidecar;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.PrometheusText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The paths back into a backup pod, on real Galera: {@code pxc-probe sidecar} in each Galera node's
 * namespace (as pasted into {@code spec.pxc.sidecars}, default settings) and both agent nodes with
 * canaries on 4567 and 4444. Dropping PXC -> node-2:4444, then separately :4567, shows exactly that
 * path down from every PXC pod within the sidecar's interval plus timeout; the canary on node-2
 * stops counting that port while node-1's keeps counting (the positive control); node-2's backup
 * verdict names reverse_sst (reverse_gcomm) and node-1's does not; the canaries count what the
 * sidecars' probes opened.
 */
@ExtendWith(TestbedExtension.class)
class ReversePathIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The sidecar's defaults: every 10 s, 2 s timeout, plus up to 10 % jitter and one poll. */
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Duration DETECTION_BOUND = INTERVAL.plusSeconds(2).plusSeconds(2);
    private static final Duration WINDOW = Duration.ofSeconds(25);
    /** rsync's connect to a dropped port gives up with the kernel's SYN retries, about 2 minutes. */
    private static final Duration TRANSFER_LIMIT = Duration.ofSeconds(240);

    @Test
    void blockingOnePathBackShowsOnlyThatPathFromEveryPod(Testbed tb, Figures figures) {
        tb.startAgentsWithCanaries(Agent.Rate.DEFAULT, WINDOW);
        List<Sidecar> sidecars = tb.startSidecars();
        try {
            Agent node1 = tb.agents().get(0);
            Agent node2 = tb.agents().get(1);
            List<String> nodes = List.of(node1.node(), node2.node());
            Awaits.poll(
                    "every sidecar proves both canaries of both nodes",
                    Duration.ofSeconds(60),
                    () -> sidecars.stream().allMatch(sc -> upEverywhere(sc.metrics(), nodes, null, null)));
            Awaits.poll(
                    "both nodes judge the reverse paths met",
                    WINDOW.plusSeconds(30),
                    () -> reverseFailing(node1).isEmpty()
                            && reverseFailing(node2).isEmpty());

            StringBuilder rows = new StringBuilder();
            for (String[] port : new String[][] {{"sst", "4444"}, {"gcomm", "4567"}}) {
                String name = port[0];
                double node1Before = canary(node1, name);
                Duration detected;
                double node2Blocked;
                try (Fault f = tb.blockBack(node2, Integer.parseInt(port[1]))) {
                    Instant t0 = Instant.now();
                    Awaits.poll(
                            f.description() + " seen by every sidecar",
                            DETECTION_BOUND.plusSeconds(10),
                            () -> sidecars.stream().allMatch(sc -> pathUp(sc.metrics(), node2.node(), name) == 0));
                    detected = Duration.between(t0, Instant.now());
                    for (Sidecar sc : sidecars) {
                        assertTrue(
                                upEverywhere(sc.metrics(), nodes, node2.node(), name),
                                sc.pod() + ": only " + node2.node() + ":" + name + " is down");
                    }
                    assertTrue(
                            detected.compareTo(DETECTION_BOUND) <= 0,
                            name + ": the sidecars saw the block after " + detected + ", bound " + DETECTION_BOUND);
                    Awaits.poll(
                            node2.node() + " judges reverse_" + name + " failing",
                            WINDOW.plusSeconds(15),
                            () -> reverseFailing(node2).contains("reverse_" + name));
                    assertFalse(reverseFailing(node1).contains("reverse_" + name), node1.node() + " still proven");
                    node2Blocked = canary(node2, name);
                    Awaits.pause(INTERVAL.plusSeconds(2));
                    assertEquals(node2Blocked, canary(node2, name), "nothing reaches the blocked canary");
                    assertTrue(canary(node1, name) > node1Before, "the open canary keeps counting (positive control)");
                }
                Awaits.poll(
                        "the path back to " + node2.node() + ":" + name + " is up again",
                        DETECTION_BOUND.plusSeconds(10),
                        () -> sidecars.stream().allMatch(sc -> upEverywhere(sc.metrics(), nodes, null, null)));
                rows.append(
                        "| PXC -> %s:%s dropped (iptables DROP in the node's namespace) | %s | only that path, from all %d pods |\n"
                                .formatted(node2.node(), port[1], Figures.seconds(detected), sidecars.size()));
            }

            // what each sidecar opened, each canary counted under that pod (read between two sidecar reads)
            for (Sidecar sc : sidecars) {
                for (Agent a : tb.agents()) {
                    for (String name : List.of("gcomm", "sst")) {
                        double s1 = opened(sc.metrics(), a.node(), name);
                        double counted = canary(a, name, sc.pod());
                        double s2 = opened(sc.metrics(), a.node(), name);
                        assertTrue(s1 >= 3, sc.pod() + " -> " + a.node() + ":" + name + ": " + s1 + " probes");
                        assertTrue(
                                counted >= s1 - 1 && counted <= s2 + 1,
                                sc.pod() + " -> " + a.node() + ":" + name + ": sidecar opened " + s1 + ".." + s2
                                        + ", canary counted " + counted);
                    }
                }
            }
            List<String> rss = new ArrayList<>();
            for (Sidecar sc : sidecars) {
                rss.add(String.format(Locale.ROOT, "%.1f", sc.rssBytes() / 1048576.0));
            }
            figures.section(
                    "Reverse paths (ReversePathIT)",
                    "Sidecars with their defaults (10 s interval, 2 s timeout), 2 agent nodes with canaries.\n\n"
                            + "| fault | seen by every sidecar after | shown down |\n|---|---|---|\n" + rows
                            + "\nSidecar RSS (MiB, VmRSS after the run, launcher defaults): " + String.join(", ", rss)
                            + "\n");
        } finally {
            sidecars.forEach(Sidecar::close);
            tb.startAgents(Agent.Rate.DEFAULT);
        }
    }

    /**
     * The strongest proof: a real transfer that garbd requests from a donor into a backup pod (an
     * rsync daemon on 4444 in its own namespace). Unblocked, the donor's whole stream arrives (the
     * positive control); with PXC -> 4444 dropped for node-2 and its backup pod alike (one policy
     * selecting both by label), the transfer fails, and the sidecars showed node-2:4444 down long
     * before the donor gave up.
     */
    @Test
    void aRealTransferFailsWhereTheProbeShowedThePathDownFirst(Testbed tb, Figures figures) {
        tb.startAgentsWithCanaries(Agent.Rate.DEFAULT, WINDOW);
        List<Sidecar> sidecars = tb.startSidecars();
        try {
            Agent node2 = tb.agents().get(1);
            GaleraNode donor = tb.galera().get(1);
            List<String> nodes = tb.agents().stream().map(Agent::node).toList();
            BackupPod backup = tb.backupPod(tb.run().dir().resolve("backup-pod"));
            Awaits.poll(
                    "every sidecar proves both canaries of both nodes",
                    Duration.ofSeconds(60),
                    () -> sidecars.stream().allMatch(sc -> upEverywhere(sc.metrics(), nodes, null, null)));

            Instant c0 = Instant.now();
            try (Garbd g = tb.garbdSst(backup, donor)) {
                Awaits.poll(
                        "positive control: the unblocked transfer arrives whole",
                        TRANSFER_LIMIT,
                        backup::transferComplete);
            }
            Duration transfer = Duration.between(c0, Instant.now());
            Awaits.poll(donor.pod() + " Synced again", Duration.ofSeconds(60), donor::synced);
            backup.clear();

            int linesBefore = donor.errorLogLines().size();
            Duration probeSaw;
            Duration donorGaveUp;
            try (Fault f = tb.blockBack(node2.node() + " and its backup pod", List.of(node2.ns(), backup.ns()), 4444)) {
                Instant t0 = Instant.now();
                try (Garbd g = tb.garbdSst(backup, donor)) {
                    Awaits.poll(
                            "the sidecars see " + node2.node() + ":4444 down",
                            DETECTION_BOUND.plusSeconds(10),
                            () -> sidecars.stream().allMatch(sc -> pathUp(sc.metrics(), node2.node(), "sst") == 0));
                    probeSaw = Duration.between(t0, Instant.now());
                    Awaits.poll(
                            "the donor's transfer fails",
                            TRANSFER_LIMIT,
                            () -> donor.errorLogLines().stream()
                                    .skip(linesBefore)
                                    .anyMatch(l -> l.contains("WSREP_SST: [ERROR]")));
                    donorGaveUp = Duration.between(t0, Instant.now());
                }
            }
            assertFalse(backup.transferComplete(), "nothing got through the blocked path");
            assertTrue(
                    probeSaw.compareTo(donorGaveUp) < 0,
                    "the probe saw the path down after " + probeSaw + ", the donor gave up after " + donorGaveUp);
            Awaits.poll(donor.pod() + " Synced again", Duration.ofSeconds(120), donor::synced);
            figures.section(
                    "A real transfer into a blocked backup pod (ReversePathIT)",
                    String.format(
                            Locale.ROOT,
                            "garbd asks %s for an rsync SST into a backup pod. Unblocked: arrived whole in %s. "
                                    + "PXC -> 4444 dropped: the sidecars showed it down after %s, the donor gave up after %s.%n",
                            donor.pod(),
                            Figures.seconds(transfer),
                            Figures.seconds(probeSaw),
                            Figures.seconds(donorGaveUp)));
        } finally {
            sidecars.forEach(Sidecar::close);
            tb.startAgents(Agent.Rate.DEFAULT);
        }
    }

    /** Whether every reverse path of every node is up, except {@code downNode:downPort} when given. */
    private static boolean upEverywhere(PrometheusText m, List<String> nodes, String downNode, String downPort) {
        for (String node : nodes) {
            for (String port : List.of("gcomm", "sst")) {
                boolean down = node.equals(downNode) && port.equals(downPort);
                if (pathUp(m, node, port) != (down ? 0 : 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double pathUp(PrometheusText m, String node, String port) {
        return m.value("pxc_probe_tcp_path_up", reverse(node, port)).orElse(-1.0);
    }

    private static double opened(PrometheusText m, String node, String port) {
        Map<String, String> l = reverse(node, port);
        l.put("result", "open");
        return m.sum("pxc_probe_tcp_probes_total", l);
    }

    /** The sidecar's series for one agent: the agent's /identity names both its pod and node. */
    private static Map<String, String> reverse(String node, String port) {
        Map<String, String> l = new HashMap<>();
        l.put("direction", "reverse");
        l.put("namespace", Testbed.NAMESPACE);
        l.put("cluster", Testbed.CLUSTER);
        l.put("target_node", node);
        l.put("pod", node);
        l.put("port", port);
        return l;
    }

    private static double canary(Agent a, String port) {
        return PrometheusText.parse(a.metricsText())
                .sum(
                        "pxc_probe_canary_connections_total",
                        Map.of("port", port, "namespace", Testbed.NAMESPACE, "cluster", Testbed.CLUSTER));
    }

    private static double canary(Agent a, String port, String pod) {
        return PrometheusText.parse(a.metricsText())
                .value("pxc_probe_canary_connections_total", Map.of("port", port, "pod", pod))
                .orElse(0.0);
    }

    /** The reverse requirements the agent's backup verdict for the cluster names as failing. */
    private static List<String> reverseFailing(Agent a) {
        JsonNode t = JSON.readTree(a.targetsJson());
        List<String> out = new ArrayList<>();
        for (JsonNode b : t.get("backup")) {
            if (b.get("cluster").asString().equals(Testbed.CLUSTER)) {
                b.get("failing").forEach(f -> {
                    if (f.asString().startsWith("reverse")) {
                        out.add(f.asString());
                    }
                });
            }
        }
        return out;
    }
}
