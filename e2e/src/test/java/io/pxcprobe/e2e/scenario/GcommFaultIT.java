package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenarios 2-4: gcomm of one pod filtered from every agent, from one agent, and refused. */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class GcommFaultIT {
    private static final int GCOMM = 4567;

    @Test
    void filteredFromEveryAgentIsTimeoutAndPagesForThatPodOnly(Testbed tb, Scenario s, Figures figures) {
        GaleraNode target = tb.galera().get(1);
        String sel = "pod=\"" + target.pod() + "\",port=\"gcomm\"";
        Instant t0;
        Duration toMetric;
        Duration toPage;
        try (Fault f = tb.filter(target, GCOMM, tb.agents())) {
            t0 = Instant.now();
            toMetric = s.awaitSeries("pxc_probe_tcp_path_up{" + sel + "} == 0", 2, t0);
            // Classified within one interval plus timeout (plus a scrape).
            assertTrue(
                    toMetric.compareTo(Scenario.RATE
                                    .tcpInterval()
                                    .plus(Scenario.RATE.tcpTimeout())
                                    .plusSeconds(2))
                            <= 0,
                    "timeout classification took " + toMetric);
            // A counter series born at the first timeout needs a second one before increase() sees it.
            s.awaitSeries("increase(pxc_probe_tcp_probes_total{" + sel + ",result=\"timeout\"}[10s]) > 0", 2, t0);
            toPage = s.awaitNotification("PXCGaleraGcommUnreachable", "firing", Map.of("pod", target.pod()), t0);
            s.assertOnlyFiring(
                    a -> a.alertname().equals("PXCGaleraGcommUnreachable")
                                    && a.labels().get("pod").equals(target.pod())
                            || a.alertname().equals("PXCGaleraGcommPartition")
                                    && a.state().equals("pending"),
                    "the page for " + target.pod());
            s.assertNoOtherNotification(
                    t0,
                    r -> r.alertname().equals("PXCGaleraGcommUnreachable")
                            && target.pod().equals(r.labels().get("pod")));
        }
        Instant healed = Instant.now();
        s.awaitNotification("PXCGaleraGcommUnreachable", "resolved", Map.of("pod", target.pod()), healed);
        figures.detection(new Figures.Detection(
                "2",
                "gcomm of one pod filtered (DROP) from both agents",
                "tcp_path_up 0, result=timeout",
                toMetric,
                "PXCGaleraGcommUnreachable",
                toPage));
    }

    @Test
    void filteredFromOneAgentIsAPartitionWithoutAPage(Testbed tb, Scenario s, Figures figures) {
        GaleraNode target = tb.galera().get(2);
        Instant t0;
        Duration toMetric;
        Duration toWarn;
        try (Fault f = tb.filter(target, GCOMM, List.of(tb.agents().getFirst()))) {
            t0 = Instant.now();
            toMetric = s.awaitSeries(
                    "pxc_probe_tcp_path_up{pod=\"" + target.pod() + "\",port=\"gcomm\",source_node=\""
                            + tb.agents().getFirst().node() + "\"} == 0",
                    1,
                    t0);
            toWarn = s.awaitNotification("PXCGaleraGcommPartition", "firing", Map.of("pod", target.pod()), t0);
            s.assertOnlyFiring(a -> a.alertname().equals("PXCGaleraGcommPartition"), "the partition warning");
            s.assertNoOtherNotification(t0, r -> r.alertname().equals("PXCGaleraGcommPartition"));
            assertEquals(
                    1,
                    s.prom()
                            .query("pxc_probe_tcp_path_up{pod=\"" + target.pod() + "\",port=\"gcomm\"} == 1")
                            .size(),
                    "the other agent still reaches it");
        }
        s.awaitQuiet(Instant.now());
        figures.detection(new Figures.Detection(
                "3",
                "gcomm of one pod filtered from one agent",
                "tcp_path_up 0 from that agent",
                toMetric,
                "PXCGaleraGcommPartition (warning, no page)",
                toWarn));
    }

    @Test
    void refusedIsClassifiedRefused(Testbed tb, Scenario s, Figures figures) {
        GaleraNode target = tb.galera().get(0);
        String sel = "pod=\"" + target.pod() + "\",port=\"gcomm\"";
        Instant t0;
        Duration toMetric;
        Duration toPage;
        try (Fault f = tb.refuse(target, GCOMM, tb.agents())) {
            t0 = Instant.now();
            toMetric = s.awaitSeries(
                    "increase(pxc_probe_tcp_probes_total{" + sel + ",result=\"refused\"}[5s]) > 0", 2, t0);
            Awaits.poll(
                    "gcomm path down from both agents",
                    Scenario.DETECT,
                    () -> s.prom()
                                    .query("pxc_probe_tcp_path_up{" + sel + "} == 0")
                                    .size()
                            == 2);
            assertEquals(
                    0,
                    s.prom()
                            .query("increase(pxc_probe_tcp_probes_total{" + sel + ",result=\"timeout\"}[5s]) > 0")
                            .size(),
                    "a reset is never taken for a timeout");
            toPage = s.awaitNotification("PXCGaleraGcommUnreachable", "firing", Map.of("pod", target.pod()), t0);
        }
        s.awaitQuiet(Instant.now());
        figures.detection(new Figures.Detection(
                "4",
                "gcomm of one pod refused (REJECT tcp-reset) to both agents",
                "result=refused, tcp_path_up 0",
                toMetric,
                "PXCGaleraGcommUnreachable",
                toPage));
    }
}
