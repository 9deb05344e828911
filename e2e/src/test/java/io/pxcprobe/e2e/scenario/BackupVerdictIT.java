package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.TcpMode;
import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Proc;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backup verdict on real Galera: each fault a backup trips over (a pod missing from the SRV
 * records, the admin port filtered, gcomm filtered from one node) turns the verdict of the nodes it
 * affects to 0 with its reason, and {@code pxc-probe check} from such a node exits 1 naming it,
 * 0 when healthy.
 */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class BackupVerdictIT {
    private static final int ADMIN = 33062;
    private static final int GCOMM = 4567;

    @Test
    void eachFaultGivesItsVerdictAndReasonAndCheckExitsAccordingly(Testbed tb, Scenario s, Figures figures) {
        tb.startAgentsForBackups(Scenario.RATE, TcpMode.SYN);
        try {
            String ns = Testbed.NAMESPACE;
            String cl = Testbed.CLUSTER;
            Agent a = tb.agents().get(0);
            Agent b = tb.agents().get(1);
            s.awaitSeries("pxc_probe_backup_path_ready{cluster=\"" + cl + "\"} == 1", 2, Instant.now());
            Proc.Result healthy = a.check(ns, cl);
            assertEquals(0, healthy.exitCode(), healthy.output());
            assertTrue(healthy.output().contains("a backup started here would get through"), healthy.output());
            assertTrue(
                    healthy.output().contains("ok      admin"), "syn mode checks the admin port: " + healthy.output());
            assertTrue(healthy.output().contains("ok      dns_srv"), healthy.output());
            assertEquals(
                    2,
                    s.prom()
                            .query("pxc_probe_backup_next_run_timestamp_seconds{cluster=\"" + cl
                                    + "\"} - time() < 3600")
                            .size(),
                    "both agents export the hourly schedule's next run");

            GaleraNode g = tb.galera().get(1);
            synReachesNoMysqldWhereAConnectDoes(s, g, a);
            figures.detection(fault(
                    s,
                    "b1",
                    "SRV of the service without one pod",
                    "dns_srv",
                    2,
                    "PXCBackupWillFail",
                    a,
                    () -> tb.missingSrv(g)));
            figures.detection(fault(
                    s,
                    "b2",
                    "admin port 33062 of one pod filtered from both agents",
                    "admin",
                    2,
                    "PXCBackupWillFail",
                    a,
                    () -> tb.filter(g, ADMIN, tb.agents())));
            figures.detection(fault(
                    s,
                    "b3",
                    "gcomm of every pod filtered from one node",
                    "gcomm",
                    1,
                    "PXCBackupPathDegraded",
                    b,
                    () -> tb.filterFromNode(b, GCOMM)));
        } finally {
            tb.startAgents(Scenario.RATE);
        }
    }

    /**
     * The admin port probed in syn mode never reaches mysqld: its {@code Connections} counter grows by
     * exactly the status query of the measurement itself while both agents probe 33062, and by the
     * plain connects of the positive control right after.
     */
    private static void synReachesNoMysqldWhereAConnectDoes(Scenario s, GaleraNode g, Agent from) {
        String adminProbes = "sum(pxc_probe_tcp_probes_total{port=\"admin\",pod=\"" + g.pod() + "\"})";
        double probes0 = s.prom().query(adminProbes).getFirst().value();
        long before = connections(g);
        Awaits.pause(Duration.ofSeconds(12));
        long after = connections(g);
        double probes = s.prom().query(adminProbes).getFirst().value() - probes0;
        assertTrue(probes >= 4, "the agents probed the admin port in the window: " + probes);
        assertEquals(
                1,
                after - before,
                probes + " syn probes of 33062: mysqld saw no connection but the status query's own");
        for (int i = 0; i < 3; i++) {
            Proc.tryRun(
                    Duration.ofSeconds(5),
                    from.ns().prefixed("bash", "-c", "exec 3<>/dev/tcp/" + g.ip() + "/33062 && exec 3>&-"));
        }
        long control = connections(g);
        assertTrue(
                control - after >= 1 + 3,
                "positive control: 3 plain connects reach mysqld, seen " + (control - after - 1));
    }

    private static long connections(GaleraNode g) {
        return Long.parseLong(g.status("Connections").get("connections"));
    }

    /**
     * Applies the fault, waits until {@code agents} report the verdict 0 with {@code requirement}, runs
     * {@code check} from {@code from} (exit 1, naming it), and heals.
     */
    private static Figures.Detection fault(
            Scenario s,
            String id,
            String what,
            String requirement,
            int agents,
            String alert,
            Agent from,
            Supplier<Fault> apply) {
        String cl = Testbed.CLUSTER;
        String failing =
                "pxc_probe_backup_requirement_failing{cluster=\"" + cl + "\",requirement=\"" + requirement + "\"} == 1";
        Instant t0;
        Duration toVerdict;
        Duration toCheck;
        Duration toAlert;
        try (Fault f = apply.get()) {
            t0 = Instant.now();
            toVerdict = s.awaitSeries(failing, agents, t0);
            assertEquals(
                    agents,
                    s.prom()
                            .query("pxc_probe_backup_path_ready{cluster=\"" + cl + "\"} == 0")
                            .size(),
                    what + ": the verdict of the affected nodes is 0, the others' 1");
            Proc.Result check = from.check(Testbed.NAMESPACE, cl);
            toCheck = Duration.between(t0, Instant.now());
            assertEquals(1, check.exitCode(), what + ":\n" + check.output());
            assertTrue(check.output().contains("would FAIL (" + requirement + ")"), what + ":\n" + check.output());
            assertTrue(check.output().contains("FAIL    " + requirement), what + ":\n" + check.output());
            // the agents' static cluster schedules an hourly backup, so the next one is always within the lead time
            toAlert = s.awaitNotification(alert, "firing", Map.of("cluster", cl), t0);
            if (!alert.equals("PXCBackupWillFail")) {
                assertTrue(
                        s.tb().webhook().since(t0).stream()
                                .noneMatch(n -> n.alertname().equals("PXCBackupWillFail")),
                        what + ": another node can still run the backup, so PXCBackupWillFail stays silent");
            }
        }
        s.awaitSeries("pxc_probe_backup_path_ready{cluster=\"" + cl + "\"} == 1", 2, Instant.now());
        s.awaitQuiet(Instant.now());
        return new Figures.Detection(
                id,
                what,
                "backup_path_ready 0, requirement " + requirement,
                toVerdict,
                alert + " (" + (alert.equals("PXCBackupWillFail") ? "critical" : "warning")
                        + "); pxc-probe check exited 1 " + toCheck.toMillis() / 100 / 10.0 + " s after the fault",
                toAlert);
    }
}
