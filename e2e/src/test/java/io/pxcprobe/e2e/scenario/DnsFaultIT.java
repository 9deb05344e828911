package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 6: a stale pod record is a mismatch, a missing one nxdomain; each raises its own alert. */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class DnsFaultIT {

    @Test
    void staleRecordIsAMismatch(Testbed tb, Scenario s, Figures figures) {
        check(
                s,
                figures,
                "stale",
                "mismatch",
                "PXCDNSStale",
                tb::staleDns,
                tb.galera().get(1));
    }

    @Test
    void missingRecordIsNxdomain(Testbed tb, Scenario s, Figures figures) {
        check(
                s,
                figures,
                "missing",
                "nxdomain",
                "PXCDNSLookupFailing",
                tb::missingDns,
                tb.galera().get(2));
    }

    private static void check(
            Scenario s,
            Figures figures,
            String what,
            String result,
            String alert,
            Function<GaleraNode, Fault> inject,
            GaleraNode g) {
        String sel = "name_kind=\"pod\",pod=\"" + g.pod() + "\",rrtype=\"A\"";
        Instant t0;
        Duration toMetric;
        Duration toWarn;
        try (Fault f = inject.apply(g)) {
            t0 = Instant.now();
            toMetric = s.awaitSeries(
                    "increase(pxc_probe_dns_lookups_total{" + sel + ",result=\"" + result + "\"}[5s]) > 0", 2, t0);
            assertEquals(2, s.prom().query("pxc_probe_dns_up{" + sel + "} == 0").size(), "dns_up 0 from both agents");
            toWarn = s.awaitNotification(alert, "firing", Map.of("pod", g.pod(), "name_kind", "pod"), t0);
            s.assertOnlyFiring(
                    a -> a.alertname().equals(alert)
                            && g.pod().equals(a.labels().get("pod")),
                    alert + " for " + g.pod());
        }
        s.awaitQuiet(Instant.now());
        figures.detection(new Figures.Detection(
                "6", what + " DNS record of one pod", "dns result=" + result + ", dns_up 0", toMetric, alert, toWarn));
    }
}
