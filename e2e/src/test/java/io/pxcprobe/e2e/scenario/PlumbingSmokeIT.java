package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Monitoring;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The testbed itself, before any agent: a Primary 3-node cluster, DNS answers, and alerts reach the webhook. */
@ExtendWith(TestbedExtension.class)
class PlumbingSmokeIT {

    @Test
    void galeraFormsOnePrimaryComponentOfThree(Testbed tb) {
        for (GaleraNode g : tb.galera()) {
            var s = g.status("wsrep_%");
            assertEquals("3", s.get("wsrep_cluster_size"), g.pod());
            assertEquals("Primary", s.get("wsrep_cluster_status"), g.pod());
            assertEquals("Synced", s.get("wsrep_local_state_comment"), g.pod());
        }
    }

    @Test
    void dnsAnswersPodAndServiceNames(Testbed tb) {
        for (GaleraNode g : tb.galera()) {
            assertEquals(Optional.of(g.ip()), tb.dns().answer(tb.podFqdn(g)));
        }
        assertEquals(
                true,
                tb.dns()
                        .answer(Testbed.CLUSTER + "-pxc." + Testbed.NAMESPACE + ".svc.cluster.local")
                        .isPresent());
    }

    @Test
    void alertsReachTheWebhookThroughAlertmanager(Testbed tb) {
        Awaits.poll(
                "the watchdog alert at the webhook",
                Duration.ofSeconds(30),
                () -> tb.webhook().received().stream()
                        .anyMatch(r -> r.alertname().equals(Monitoring.WATCHDOG)
                                && r.status().equals("firing")));
    }
}
