package io.pxcprobe.e2e.scenario;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.Testbed;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 5: one agent's node cut off from every PXC pod raises PXCProbeNodeIsolated for it, and nothing else. */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class NodeIsolationIT {

    @Test
    void isolatedNodeAlertsForItselfOnly(Testbed tb, Scenario s, Figures figures) {
        Agent node = tb.agents().get(1);
        Instant t0;
        Duration toMetric;
        Duration toWarn;
        try (Fault f = tb.isolate(node)) {
            t0 = Instant.now();
            toMetric =
                    s.awaitSeries("pxc_probe:isolated_source_node:targets{source_node=\"" + node.node() + "\"}", 1, t0);
            toWarn = s.awaitNotification("PXCProbeNodeIsolated", "firing", Map.of("source_node", node.node()), t0);
            s.assertOnlyFiring(
                    a -> a.alertname().equals("PXCProbeNodeIsolated")
                            && a.labels().get("source_node").equals(node.node()),
                    "PXCProbeNodeIsolated for " + node.node());
            s.assertNoOtherNotification(t0, r -> r.alertname().equals("PXCProbeNodeIsolated"));
        }
        s.awaitQuiet(Instant.now());
        figures.detection(new Figures.Detection(
                "5",
                "one agent node isolated from every PXC pod",
                "pxc_probe:isolated_source_node:targets",
                toMetric,
                "PXCProbeNodeIsolated",
                toWarn));
    }
}
