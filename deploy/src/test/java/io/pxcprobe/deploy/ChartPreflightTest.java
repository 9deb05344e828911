package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optional preflight CronJobs: pxc-probe check, a lead before each backup, as a backup pod would run. */
class ChartPreflightTest {

    @Test
    void offByDefault() {
        assertTrue(Chart.defaults().all(CronJob.class).isEmpty());
    }

    @Test
    void oneJobPerClusterWithTheBackupsLabelsAndPlacementRunningCheck() throws Exception {
        Path values = Repository.scratch("values").resolve("preflight.yaml");
        Files.writeString(values, """
                preflight:
                  enabled: true
                  clusters:
                    - namespace: db
                      cluster: cluster1
                      schedule: "0 0 * * 6"
                      lead: 30m
                      nodeSelector: {disk: ssd}
                      tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]
                    - namespace: db2
                      cluster: c2
                      preflightSchedule: "*/30 * * * *"
                """);
        List<CronJob> jobs = Chart.render(List.of(values)).all(CronJob.class);
        assertEquals(2, jobs.size());
        CronJob first = jobs.get(0);
        assertEquals("30 23 * * 5", first.getSpec().getSchedule(), "30 minutes before Saturday 00:00 is Friday 23:30");
        assertEquals("Etc/UTC", first.getSpec().getTimeZone());
        assertEquals("Forbid", first.getSpec().getConcurrencyPolicy());
        assertEquals(
                0,
                first.getSpec().getJobTemplate().getSpec().getBackoffLimit(),
                "a failure is the Job's result, not retried");
        var template = first.getSpec().getJobTemplate().getSpec().getTemplate();
        Map<String, String> labels = template.getMetadata().getLabels();
        assertEquals(
                "xtrabackup", labels.get("percona.com/backup-type"), "the backup pods' label, for NetworkPolicies");
        assertEquals("cluster1", labels.get("percona.com/cluster"));
        assertFalse("pxc".equals(labels.get("app.kubernetes.io/component")));
        assertFalse("pxc-probe".equals(labels.get("app.kubernetes.io/name")), "the agents' Service must not select it");
        PodSpec pod = template.getSpec();
        assertEquals(Map.of("disk", "ssd"), pod.getNodeSelector());
        assertEquals("dedicated", pod.getTolerations().get(0).getKey());
        assertEquals(
                List.of(
                        "check",
                        "--namespace",
                        "db",
                        "--cluster",
                        "cluster1",
                        "--config",
                        "/etc/pxc-probe/config.yaml"),
                pod.getContainers().get(0).getArgs());
        assertEquals("Never", pod.getRestartPolicy());
        PodSecurityRestricted.check(pod, Set.of("NET_RAW"));
        assertEquals("*/30 * * * *", jobs.get(1).getSpec().getSchedule(), "an explicit schedule is taken as it is");
    }

    @ParameterizedTest(name = "{0} - {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            15 2 * * *     | 1h  | 15 1 * * *
            0 0 * * *      | 10m | 50 23 * * *
            @daily         | 10m | 50 23 * * *
            @weekly        | 1h  | 0 23 * * 6
            0 1 * * 1,3    | 2h  | 0 23 * * 0,2
            45 3 1 * *     | 30m | 15 3 1 * *
            """)
    void theScheduleMovesByTheLead(String schedule, String lead, String expected) throws Exception {
        assertEquals(expected, render(schedule, lead).get(0).getSpec().getSchedule());
    }

    @ParameterizedTest(name = "{0} - {1}")
    @CsvSource(delimiter = '|', textBlock = """
            */30 * * * *   | 10m | it needs a fixed minute and hour
            0 0 1 * *      | 30m | crosses midnight on a fixed day of month
            0 0 * * SAT    | 30m | crosses midnight on day of week "SAT"
            0 0 * * *      | 24h | the lead must be between 1m and 23h
            """)
    void aScheduleTheShiftCannotMoveIsRefusedWithTheReason(String schedule, String lead, String reason) {
        Exception e = assertThrows(Exception.class, () -> render(schedule, lead));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains("cannot move the schedule"), e.getMessage());
    }

    private static List<CronJob> render(String schedule, String lead) throws Exception {
        Path values = Repository.scratch("values").resolve("preflight-shift.yaml");
        Files.writeString(values, """
                preflight:
                  enabled: true
                  clusters: [{namespace: db, cluster: c1, schedule: "%s", lead: %s}]
                """.formatted(schedule, lead));
        return Chart.render(List.of(values)).all(CronJob.class);
    }
}
