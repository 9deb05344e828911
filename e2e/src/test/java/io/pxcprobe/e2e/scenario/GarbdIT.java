package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.Garbd;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 8, the failure the product exists for: with 4567 filtered from a node, garbd started
 * there fails to reach the primary view, and the probe had reported that path broken before.
 */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class GarbdIT {

    @Test
    void probeReportsThePathGarbdThenFailsOn(Testbed tb, Scenario s, Figures figures) {
        Agent node = tb.agents().getFirst();
        Duration garbdFailedAfter;
        Duration toMetric;
        try (Fault f = tb.filterFromNode(node, 4567)) {
            Instant t0 = Instant.now();
            toMetric = s.awaitSeries(
                    "pxc_probe_tcp_path_up{port=\"gcomm\",source_node=\"" + node.node() + "\"} == 0",
                    tb.galera().size(),
                    t0);
            // Reported as timeout (filtered) before garbd starts.
            s.awaitSeries(
                    "increase(pxc_probe_tcp_probes_total{port=\"gcomm\",source_node=\"" + node.node()
                            + "\",result=\"timeout\"}[10s]) > 0",
                    tb.galera().size(),
                    t0);
            try (Garbd garbd = tb.garbd(node)) {
                OptionalInt exit = garbd.awaitExit(Duration.ofSeconds(60));
                garbdFailedAfter = Duration.between(garbd.started(), Instant.now());
                assertTrue(
                        exit.isPresent() && exit.getAsInt() != 0,
                        "garbd should fail; exit " + exit + "\n" + garbd.log());
                assertTrue(garbd.log().contains("failed to reach primary view"), garbd.log());
            }
        }
        Instant healed = Instant.now();
        s.awaitSeries(
                "pxc_probe_tcp_path_up{port=\"gcomm\",source_node=\"" + node.node() + "\"} == 1",
                tb.galera().size(),
                healed);
        try (Garbd garbd = tb.garbd(node)) {
            Awaits.poll("garbd joined (cluster size 4)", Duration.ofSeconds(30), () -> {
                if (!garbd.alive()) {
                    throw new AssertionError("garbd exited:\n" + garbd.log());
                }
                return tb.clusterSize() == 4;
            });
        }
        Awaits.poll("cluster size back to 3", Duration.ofSeconds(30), () -> tb.clusterSize() == 3);
        figures.detection(new Figures.Detection(
                "8",
                "gcomm of every pod filtered from one node, then garbd started there",
                "tcp_path_up 0, result=timeout",
                toMetric,
                "(garbd: failed to reach primary view after " + garbdFailedAfter.toSeconds() + " s)",
                null));
    }
}
