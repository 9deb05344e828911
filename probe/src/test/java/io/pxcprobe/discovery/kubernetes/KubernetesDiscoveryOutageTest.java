package io.pxcprobe.discovery.kubernetes;

import static io.pxcprobe.discovery.kubernetes.SnapshotRecorder.member;
import static io.pxcprobe.testing.OperatorPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.discovery.DiscoveryStatus;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import io.pxcprobe.testkit.Awaits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server goes away and comes back, or forbids the watch: the last snapshot stays, the
 * status says why, and discovery recovers by itself. Uses the agent's own client building path
 * (a kubeconfig given as the command-line override).
 */
class KubernetesDiscoveryOutageTest {

    /** fabric8's reconnect backoff doubles from 1 s up to 32 s; a recovery must fit in one full step. */
    private static final Duration RECOVERY = Duration.ofSeconds(40);

    private static final Duration NOTICE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private MockKubernetesApi api;
    private KubernetesClient admin;
    private KubernetesDiscovery discovery;
    private final SnapshotRecorder snapshots = new SnapshotRecorder();

    @BeforeEach
    void start() throws Exception {
        api = new MockKubernetesApi();
        admin = api.newClient(KubernetesClients::tune);
        for (int i = 0; i < 3; i++) {
            OperatorPods.create(admin, pod("db", "c1", i, "10.1.0." + (10 + i), "node-" + i, true));
        }
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        admin.close();
        api.close();
    }

    private void startDiscovery() throws Exception {
        discovery = KubernetesDiscovery.create(
                PxcPods.config(List.of("db"), null, false),
                null,
                api.writeKubeconfig(dir).toString());
        discovery.start(snapshots);
    }

    @Test
    void keepsTheLastSnapshotWhileTheApiServerIsAwayAndRecoversByItself() throws Exception {
        startDiscovery();
        Awaits.until("discovery up", NOTICE, () -> discovery.status().up());
        TargetSnapshot before =
                snapshots.await("3 members", NOTICE, s -> s.members().size() == 3);
        long syncedAt = discovery.status().lastSyncEpochMillis();

        api.stop();
        Duration noticed =
                Awaits.until("discovery down", NOTICE, () -> !discovery.status().up());
        DiscoveryStatus down = discovery.status();
        assertTrue(down.synced(), "once synced, stays ready: the agent keeps probing");
        assertNotNull(down.problem());
        assertTrue(down.lastSyncEpochMillis() >= syncedAt);
        assertEquals(before, snapshots.latest(), "the last snapshot stays in force");
        Thread.sleep(2_000);
        assertEquals(down.lastSyncEpochMillis(), discovery.status().lastSyncEpochMillis(), "no sync while away");

        api.start();
        Duration recovered = Awaits.until(
                "discovery up again", RECOVERY, () -> discovery.status().up());
        System.out.printf(
                "API server outage: noticed after %d ms, recovered %d ms after it came back%n",
                noticed.toMillis(), recovered.toMillis());
        assertTrue(discovery.status().lastSyncEpochMillis() > down.lastSyncEpochMillis());
        admin.pods().inNamespace("db").withName("c1-pxc-2").delete();
        snapshots.await(
                "c1-pxc-2 deleted after the outage",
                Duration.ofSeconds(1),
                s -> member(s, "db", "c1-pxc-2").isEmpty());
    }

    @Test
    void aForbiddenWatchIsReportedAndRetriedUntilRbacAllowsIt() throws Exception {
        api.forbid(path -> path.startsWith("/api/v1/namespaces/db/pods"));
        startDiscovery();
        Awaits.until(
                "a problem reported",
                NOTICE,
                () -> discovery.status().problem() != null
                        && discovery.status().problem().contains("403"));
        DiscoveryStatus s = discovery.status();
        assertFalse(s.up());
        assertFalse(s.synced());
        assertEquals(0, snapshots.count(), "nothing is published before a complete list");

        api.forbid(path -> false);
        Awaits.until(
                "discovery up once allowed", RECOVERY, () -> discovery.status().up());
        assertEquals(3, snapshots.latest().members().size());
    }
}
