package io.pxcprobe.e2e.scenario;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Testbed;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 9: a Galera node stopped is refused or timeout while down, open after, and the alerts resolve. */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class NodeRestartIT {

    @Test
    void stoppedNodeIsDownThenOpenAndTheAlertResolves(Testbed tb, Scenario s, Figures figures) {
        GaleraNode g = tb.galera().get(2);
        String sel = "pod=\"" + g.pod() + "\",port=\"gcomm\"";
        Instant t0 = Instant.now();
        Duration toMetric;
        Duration toPage;
        Fault stopped = tb.stop(g);
        Instant restarting;
        try {
            Instant down = Instant.now();
            toMetric = s.awaitSeries(
                    "increase(pxc_probe_tcp_probes_total{" + sel + ",result=~\"refused|timeout\"}[5s]) > 0", 2, down);
            s.awaitSeries("pxc_probe_tcp_path_up{" + sel + "} == 0", 2, down);
            toPage = s.awaitNotification("PXCGaleraGcommUnreachable", "firing", Map.of("pod", g.pod()), down);
        } finally {
            // Starting waits for Synced; gcomm listens (and the alert resolves) before that.
            restarting = Instant.now();
            stopped.close();
        }
        Instant started = restarting;
        Duration toOpen = s.awaitSeries("pxc_probe_tcp_path_up{" + sel + "} == 1", 2, started);
        Duration toResolved =
                s.awaitNotification("PXCGaleraGcommUnreachable", "resolved", Map.of("pod", g.pod()), started);
        figures.detection(new Figures.Detection(
                "9",
                "a Galera node stopped (SIGTERM)",
                "result refused, tcp_path_up 0",
                toMetric,
                "PXCGaleraGcommUnreachable",
                toPage));
        figures.note("Scenario 9: after mysqld was started again, path up in " + Figures.seconds(toOpen)
                + ", resolved notification in " + Figures.seconds(toResolved) + " (stopped for "
                + Figures.seconds(Duration.between(t0, started)) + ").");
    }
}
