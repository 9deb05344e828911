package io.pxcprobe.discovery.kubernetes;

import static io.pxcprobe.testing.OperatorPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.backup.BackupSchedules;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backup schedules and storage placements of PerconaXtraDBCluster objects, and the agent's own node, followed live. */
class KubernetesDiscoveryBackupTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-02T10:17:30Z");

    private MockKubernetesApi api;
    private KubernetesClient admin;
    private KubernetesDiscovery discovery;
    private final SnapshotRecorder snapshots = new SnapshotRecorder();
    private final BackupSchedules schedules = new BackupSchedules();

    @BeforeEach
    void start() throws Exception {
        api = new MockKubernetesApi();
        api.serveCustomResource(MockKubernetesApi.PXC_CRD);
        admin = api.newClient(KubernetesClients::tune);
        OperatorPods.create(admin, pod("db", "c1", 0, "10.1.0.10", "node-a", true));
        admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-a")
                        .withLabels(Map.of("disk", "ssd", "zone", "a"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewTaint()
                        .withKey("dedicated")
                        .withValue("db")
                        .withEffect("NoSchedule")
                        .endTaint()
                        .endSpec()
                        .build())
                .create();
        admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-b")
                        .withLabels(Map.of("disk", "hdd"))
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        admin.close();
        api.close();
    }

    @Test
    void schedulesAndEachPlacementFormAreReadAndFollowed() throws Exception {
        admin.genericKubernetesResources(ClusterStates.CONTEXT)
                .inNamespace("db")
                .resource(cluster(List.of(
                        schedule("sat-night", "0 0 * * 6", "s3-ssd"),
                        schedule("daily", "0 0 * * *", "s3-hdd"),
                        schedule("tolerant", "@hourly", "s3-tolerant"),
                        schedule("affine", "0 12 * * *", "s3-zone-b"),
                        schedule("broken", "@every 1h", "s3-ssd"),
                        Map.of(
                                "name",
                                "retained",
                                "schedule",
                                "0 3 * * *",
                                "storageName",
                                "s3-ssd",
                                "keep",
                                3,
                                "retention",
                                Map.of("type", "count", "count", 7)))))
                .create();
        discovery = new KubernetesDiscovery(
                api.newClient(KubernetesClients::tune), PxcPods.config(List.of(), null, true), "node-a");
        discovery.start(snapshots);
        snapshots.await("backup spec and node", WAIT, s -> s.backups().containsKey("db/c1") && s.node() != null);
        var s = snapshots.latest();
        assertEquals("node-a", s.node().name(), "only the agent's own node is read");
        BackupSpec spec = s.backups().get("db/c1");
        assertEquals(6, spec.schedules().size());
        assertEquals(7, spec.schedules().get(5).keep(), "retention.count wins over the deprecated keep");
        assertEquals(
                new BackupSpec.Schedule("sat-night", "0 0 * * 6", "s3-ssd", 3),
                spec.schedules().get(0));

        Map<String, BackupSchedules.Eligibility> byStorage = new TreeMap<>();
        schedules.eligibility(s).forEach(e -> byStorage.put(e.storage(), e));
        assertEquals(
                "taint dedicated=db:NoSchedule",
                byStorage.get("s3-ssd").refusal(),
                "nodeSelector met, taint not tolerated");
        assertEquals("nodeSelector disk=hdd", byStorage.get("s3-hdd").refusal());
        assertNull(byStorage.get("s3-tolerant").refusal(), "a tolerating storage without a selector may land here");
        assertEquals("required node affinity", byStorage.get("s3-zone-b").refusal());

        List<String> next = schedules.nextRuns(s, NOW).stream()
                .map(r -> r.schedule() + "@" + r.at().toInstant())
                .toList();
        assertEquals(
                List.of(
                        "sat-night@2026-12-05T00:00:00Z",
                        "daily@2026-12-03T00:00:00Z",
                        "tolerant@2026-12-02T11:00:00Z",
                        "affine@2026-12-02T12:00:00Z",
                        "retained@2026-12-03T03:00:00Z"),
                next,
                "@every has no knowable next run: left out");

        admin.genericKubernetesResources(ClusterStates.CONTEXT)
                .inNamespace("db")
                .withName("c1")
                .edit(cr -> cluster(List.of(schedule("sat-night", "30 1 * * 6", "s3-tolerant"))));
        snapshots.await(
                "the schedule changed",
                WAIT,
                x -> x.backups().get("db/c1") != null
                        && x.backups().get("db/c1").schedules().size() == 1
                        && x.backups().get("db/c1").schedules().get(0).cron().equals("30 1 * * 6"));
        assertEquals(
                ZonedDateTime.parse("2026-12-05T01:30Z").toInstant(),
                schedules.nextRuns(snapshots.latest(), NOW).get(0).at().toInstant());
        assertNull(schedules.eligibility(snapshots.latest()).get(0).refusal(), "now on a storage that may land here");

        admin.nodes()
                .withName("node-a")
                .edit(n -> new NodeBuilder(n)
                        .editSpec()
                        .withTaints(List.of())
                        .endSpec()
                        .build());
        admin.genericKubernetesResources(ClusterStates.CONTEXT)
                .inNamespace("db")
                .withName("c1")
                .edit(cr -> cluster(List.of(schedule("sat-night", "30 1 * * 6", "s3-ssd"))));
        snapshots.await(
                "taint gone, ssd storage",
                WAIT,
                x -> x.node() != null
                        && x.node().taints().isEmpty()
                        && x.backups().get("db/c1").schedules().get(0).storage().equals("s3-ssd"));
        assertNull(
                schedules.eligibility(snapshots.latest()).get(0).refusal(), "the node's taints are followed live too");
    }

    private static Map<String, Object> schedule(String name, String cron, String storage) {
        return Map.of("name", name, "schedule", cron, "keep", 3, "storageName", storage);
    }

    private static GenericKubernetesResource cluster(List<Map<String, Object>> schedules) {
        Map<String, Object> storages = Map.of(
                "s3-ssd", Map.of("type", "s3", "nodeSelector", Map.of("disk", "ssd")),
                "s3-hdd", Map.of("type", "s3", "nodeSelector", Map.of("disk", "hdd")),
                "s3-tolerant",
                        Map.of(
                                "type",
                                "s3",
                                "tolerations",
                                List.of(Map.of(
                                        "key",
                                        "dedicated",
                                        "operator",
                                        "Equal",
                                        "value",
                                        "db",
                                        "effect",
                                        "NoSchedule"))),
                "s3-zone-b",
                        Map.of(
                                "type",
                                "s3",
                                "tolerations",
                                List.of(Map.of("operator", "Exists")),
                                "affinity",
                                Map.of(
                                        "nodeAffinity",
                                        Map.of(
                                                "requiredDuringSchedulingIgnoredDuringExecution",
                                                Map.of(
                                                        "nodeSelectorTerms",
                                                        List.of(Map.of(
                                                                "matchExpressions",
                                                                List.of(Map.of(
                                                                        "key",
                                                                        "zone",
                                                                        "operator",
                                                                        "In",
                                                                        "values",
                                                                        List.of("b"))))))))));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("pxc.percona.com/v1")
                .withKind("PerconaXtraDBCluster")
                .withNewMetadata()
                .withNamespace("db")
                .withName("c1")
                .endMetadata()
                .addToAdditionalProperties(
                        "spec", Map.of("backup", Map.of("schedule", schedules, "storages", storages)))
                .addToAdditionalProperties("status", Map.of("state", "ready"))
                .build();
    }
}
