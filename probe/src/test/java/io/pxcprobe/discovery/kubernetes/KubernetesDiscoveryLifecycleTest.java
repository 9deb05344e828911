package io.pxcprobe.discovery.kubernetes;

import static io.pxcprobe.discovery.kubernetes.SnapshotRecorder.member;
import static io.pxcprobe.testing.OperatorPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pods come, change and go on a mock API server; the snapshots follow within a second. */
class KubernetesDiscoveryLifecycleTest {

    private static final Duration FIRST_SYNC = Duration.ofSeconds(10);
    private static final Duration FOLLOW = Duration.ofSeconds(1);

    private MockKubernetesApi api;
    private KubernetesClient admin;
    private KubernetesDiscovery discovery;
    private final SnapshotRecorder snapshots = new SnapshotRecorder();

    @BeforeEach
    void start() throws Exception {
        api = new MockKubernetesApi();
        admin = api.newClient(KubernetesClients::tune);
        OperatorPods.create(admin, pod("db", "c1", 0, "10.1.0.10", "node-a", true));
        OperatorPods.create(admin, pod("db", "c1", 1, "10.1.0.11", "node-b", true));
        OperatorPods.create(admin, pod("db", "c1", 2, "10.1.0.12", "node-c", false));
        OperatorPods.create(admin, pod("other", "c2", 0, null, "node-a", false));
        admin.resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("db")
                        .withName("unrelated")
                        .addToLabels("app", "web")
                        .endMetadata()
                        .withNewStatus()
                        .withPodIP("10.9.9.9")
                        .endStatus()
                        .build())
                .create();
        discovery =
                new KubernetesDiscovery(api.newClient(KubernetesClients::tune), PxcPods.config(List.of(), null, false));
        discovery.start(snapshots);
        snapshots.await("the first sync", FIRST_SYNC, s -> s.members().size() == 3);
        // a real API server replays events from the listed resourceVersion; the mock only sends what happens after the
        // watch opened
        Awaits.until("discovery up", FIRST_SYNC, () -> discovery.status().up());
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void firstSnapshotHasTheSelectedPodsWithAnAddressAndTheirDnsNames() {
        TargetSnapshot s = snapshots.latest();
        assertTrue(
                discovery.status().up() && discovery.status().synced(),
                discovery.status().toString());
        assertEquals(null, discovery.status().problem());
        assertTrue(discovery.status().lastSyncEpochMillis() > 0);
        assertEquals(
                Set.of("c1-pxc-0", "c1-pxc-1", "c1-pxc-2"),
                Set.copyOf(s.members().stream().map(m -> m.pod()).toList()),
                "no unrelated pod, no pod without IP");
        var m0 = member(s, "db", "c1-pxc-0").orElseThrow();
        assertEquals("c1", m0.cluster());
        assertEquals("node-a", m0.node());
        assertEquals("10.1.0.10", m0.address().getHostAddress());
        assertEquals(Map.of("gcomm", 4567, "ist", 4568, "sst", 4444), m0.ports());
        assertFalse(member(s, "db", "c1-pxc-2").orElseThrow().ready());

        assertEquals(
                DnsExpectation.containsAll(Set.of("10.1.0.10")),
                dns(s, NameKind.POD, "c1-pxc-0.c1-pxc.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
        assertTrue(
                dns(s, NameKind.POD, "c1-pxc-2.c1-pxc.db.svc.cluster.local", RecordType.A)
                        .isEmpty(),
                "an unready pod's own name is not checked");
        assertEquals(
                DnsExpectation.equalTo(Set.of("10.1.0.10", "10.1.0.11")),
                dns(s, NameKind.SERVICE, "c1-pxc.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
        assertEquals(
                DnsExpectation.equalTo(
                        Set.of("c1-pxc-0.c1-pxc.db.svc.cluster.local", "c1-pxc-1.c1-pxc.db.svc.cluster.local")),
                dns(s, NameKind.SERVICE, "c1-pxc.db.svc.cluster.local", RecordType.SRV)
                        .orElseThrow()
                        .expected());
        assertEquals(
                DnsExpectation.containsAll(Set.of("10.1.0.10", "10.1.0.11", "10.1.0.12")),
                dns(s, NameKind.UNREADY, "c1-pxc-unready.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
    }

    @Test
    void followsAnIpChangeAndAPodGettingItsFirstIp() throws Exception {
        admin.pods()
                .inNamespace("db")
                .withName("c1-pxc-1")
                .editStatus(p -> new PodBuilder(p)
                        .editStatus()
                        .withPodIP("10.1.0.21")
                        .endStatus()
                        .build());
        TargetSnapshot s = snapshots.await(
                "the new IP",
                FOLLOW,
                x -> member(x, "db", "c1-pxc-1")
                        .map(m -> m.address().getHostAddress().equals("10.1.0.21"))
                        .orElse(false));
        assertEquals(
                DnsExpectation.containsAll(Set.of("10.1.0.21")),
                dns(s, NameKind.POD, "c1-pxc-1.c1-pxc.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());

        admin.pods()
                .inNamespace("other")
                .withName("c2-pxc-0")
                .editStatus(p -> new PodBuilder(p)
                        .editStatus()
                        .withPodIP("10.2.0.10")
                        .endStatus()
                        .build());
        s = snapshots.await(
                "c2-pxc-0 with its IP",
                FOLLOW,
                x -> member(x, "other", "c2-pxc-0").isPresent());
        assertEquals(
                DnsExpectation.containsAll(Set.of("10.2.0.10")),
                dns(s, NameKind.UNREADY, "c2-pxc-unready.other.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
        assertTrue(
                s.dnsTargets().stream().noneMatch(d -> d.cluster().equals("c2") && d.kind() != NameKind.UNREADY),
                "no Ready pod in c2: its service name has no right positive answer and is not checked");
    }

    @Test
    void followsReadinessBothWays() throws Exception {
        admin.pods().inNamespace("db").withName("c1-pxc-0").editStatus(p -> ready(p, false));
        TargetSnapshot s = snapshots.await(
                "c1-pxc-0 unready",
                FOLLOW,
                x -> !member(x, "db", "c1-pxc-0").orElseThrow().ready());
        assertEquals(
                DnsExpectation.equalTo(Set.of("10.1.0.11")),
                dns(s, NameKind.SERVICE, "c1-pxc.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
        assertTrue(dns(s, NameKind.POD, "c1-pxc-0.c1-pxc.db.svc.cluster.local", RecordType.A)
                .isEmpty());

        admin.pods().inNamespace("db").withName("c1-pxc-2").editStatus(p -> ready(p, true));
        s = snapshots.await(
                "c1-pxc-2 ready",
                FOLLOW,
                x -> member(x, "db", "c1-pxc-2").orElseThrow().ready());
        assertEquals(
                DnsExpectation.equalTo(Set.of("10.1.0.11", "10.1.0.12")),
                dns(s, NameKind.SERVICE, "c1-pxc.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
    }

    @Test
    void dropsAPodRelabelledOutOfTheSelectorAndTakesItBack() throws Exception {
        admin.pods()
                .inNamespace("db")
                .withName("c1-pxc-1")
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("app.kubernetes.io/component", "maintenance")
                        .endMetadata()
                        .build());
        snapshots.await(
                "c1-pxc-1 gone", FOLLOW, x -> member(x, "db", "c1-pxc-1").isEmpty());

        admin.pods()
                .inNamespace("db")
                .withName("c1-pxc-1")
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("app.kubernetes.io/component", "pxc")
                        .endMetadata()
                        .build());
        snapshots.await(
                "c1-pxc-1 back", FOLLOW, x -> member(x, "db", "c1-pxc-1").isPresent());
    }

    @Test
    void followsDeleteAndRecreateWithTheSameNameOnAnotherNode() throws Exception {
        admin.pods().inNamespace("db").withName("c1-pxc-0").delete();
        snapshots.await(
                "c1-pxc-0 deleted", FOLLOW, x -> member(x, "db", "c1-pxc-0").isEmpty());

        OperatorPods.create(admin, pod("db", "c1", 0, "10.1.0.30", "node-d", true));
        TargetSnapshot s = snapshots.await(
                "c1-pxc-0 recreated", FOLLOW, x -> member(x, "db", "c1-pxc-0").isPresent());
        var m = member(s, "db", "c1-pxc-0").orElseThrow();
        assertEquals("node-d", m.node());
        assertEquals("10.1.0.30", m.address().getHostAddress());
    }

    @Test
    void dropsATerminatingPod() throws Exception {
        // a finalizer keeps the deleted pod around with a deletion timestamp, as a grace period does
        admin.pods()
                .inNamespace("db")
                .withName("c1-pxc-1")
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToFinalizers("test/hold")
                        .endMetadata()
                        .build());
        admin.pods().inNamespace("db").withName("c1-pxc-1").delete();
        assertTrue(admin.pods()
                        .inNamespace("db")
                        .withName("c1-pxc-1")
                        .get()
                        .getMetadata()
                        .getDeletionTimestamp()
                != null);
        TargetSnapshot s = snapshots.await(
                "c1-pxc-1 terminating", FOLLOW, x -> member(x, "db", "c1-pxc-1").isEmpty());
        assertEquals(
                DnsExpectation.equalTo(Set.of("10.1.0.10")),
                dns(s, NameKind.SERVICE, "c1-pxc.db.svc.cluster.local", RecordType.A)
                        .orElseThrow()
                        .expected());
    }

    @Test
    void publishesFromOneThreadAndOnlyWhenSomethingChanged() throws Exception {
        int before = snapshots.count();
        admin.pods()
                .inNamespace("db")
                .withName("c1-pxc-0")
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToAnnotations("irrelevant", "1")
                        .endMetadata()
                        .build());
        admin.pods()
                .inNamespace("db")
                .withName("c1-pxc-1")
                .edit(p -> new PodBuilder(p)
                        .editSpec()
                        .withNodeName("node-z")
                        .endSpec()
                        .build());
        snapshots.await(
                "c1-pxc-1 on node-z",
                FOLLOW,
                x -> member(x, "db", "c1-pxc-1").orElseThrow().node().equals("node-z"));
        assertEquals(before + 1, snapshots.count(), "an annotation change publishes nothing");
        assertTrue(snapshots.singleThreaded());
    }

    private static Pod ready(Pod p, boolean ready) {
        return new PodBuilder(p)
                .editStatus()
                .editFirstCondition()
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    static Optional<DnsTarget> dns(TargetSnapshot s, NameKind kind, String name, RecordType type) {
        return s.dnsTargets().stream()
                .filter(d -> d.kind() == kind && d.name().equals(name) && d.type() == type)
                .findFirst();
    }
}
