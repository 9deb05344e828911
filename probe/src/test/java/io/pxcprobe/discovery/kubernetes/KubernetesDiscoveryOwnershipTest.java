package io.pxcprobe.discovery.kubernetes;

import static io.pxcprobe.testing.OperatorPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.config.KubernetesDiscoveryConfig;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Only pods the operator made are members: a pod with the PXC labels but no owner, one controlled
 * by a StatefulSet no PerconaXtraDBCluster controls, and one whose StatefulSet belongs to another
 * cluster than its label names are ignored, each logged once; with the opt-out they are members,
 * which shows the impostors would otherwise be probed.
 */
class KubernetesDiscoveryOwnershipTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Set<String> IMPOSTORS = Set.of("tenant/c1-pxc-0", "tenant/evil-pxc-0", "tenant/c9-pxc-7");

    private MockKubernetesApi api;
    private KubernetesClient admin;
    private KubernetesDiscovery discovery;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(KubernetesDiscovery.class);

    @BeforeEach
    void start() throws Exception {
        api = new MockKubernetesApi();
        admin = api.newClient(KubernetesClients::tune);
        OperatorPods.create(admin, pod("db", "c1", 0, "10.1.0.10", "node-a", true));
        OperatorPods.create(admin, pod("db", "c1", 1, "10.1.0.11", "node-b", true));
        // no owner at all: labels only
        admin.resource(withoutOwner(pod("tenant", "c1", 0, "10.2.0.10", "node-a", true)))
                .create();
        // a StatefulSet of the tenant's own, which no PerconaXtraDBCluster controls
        admin.resource(new StatefulSetBuilder()
                        .withNewMetadata()
                        .withNamespace("tenant")
                        .withName("evil-pxc")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .endSpec()
                        .build())
                .create();
        admin.resource(pod("tenant", "evil", 0, "10.2.0.11", "node-a", true)).create();
        // labelled c9 with ordinal 7, but controlled by the StatefulSet of PerconaXtraDBCluster c8
        admin.resource(OperatorPods.statefulSet("tenant", "c8")).create();
        admin.resource(new PodBuilder(pod("tenant", "c9", 7, "10.2.0.12", "node-a", true))
                        .editMetadata()
                        .editFirstOwnerReference()
                        .withName("c8-pxc")
                        .endOwnerReference()
                        .endMetadata()
                        .build())
                .create();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(logged);
        if (discovery != null) {
            discovery.close();
        }
        admin.close();
        api.close();
    }

    @Test
    void labelledPodsTheOperatorDidNotMakeAreIgnoredAndLoggedOnce() throws Exception {
        SnapshotRecorder snapshots = run(true);
        TargetSnapshot first =
                snapshots.await("the operator's pods", WITHIN, s -> s.members().size() == 2);
        assertEquals(Set.of("db/c1-pxc-0", "db/c1-pxc-1"), keys(first));
        // more events: every snapshot re-checks the impostors, none is logged again
        OperatorPods.create(admin, pod("db", "c1", 2, "10.1.0.12", "node-c", true));
        snapshots.await("a third member", WITHIN, s -> s.members().size() == 3);
        admin.pods().inNamespace("db").withName("c1-pxc-2").delete();
        snapshots.await("back to two", WITHIN, s -> s.members().size() == 2);
        List<String> warnings = logged.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("Not probing pod"))
                .toList();
        assertEquals(
                IMPOSTORS,
                warnings.stream().map(m -> m.split(" ")[3]).collect(Collectors.toSet()),
                warnings.toString());
        assertEquals(3, warnings.size(), "each impostor once: " + warnings);
        assertEquals(
                1,
                warnings.stream()
                        .filter(m -> m.contains("belongs to PerconaXtraDBCluster c8, not to c9"))
                        .count(),
                warnings.toString());
        assertEquals(
                1,
                warnings.stream()
                        .filter(m -> m.contains("no PerconaXtraDBCluster controls its StatefulSet evil-pxc"))
                        .count());
        assertEquals(
                1,
                warnings.stream()
                        .filter(m -> m.contains("no StatefulSet controls it"))
                        .count());
    }

    @Test
    void withTheOptOutEveryLabelledPodIsAMember() throws Exception {
        SnapshotRecorder snapshots = run(false);
        TargetSnapshot s =
                snapshots.await("every labelled pod", WITHIN, x -> x.members().size() == 5);
        assertEquals(
                Set.of("db/c1-pxc-0", "db/c1-pxc-1", "tenant/c1-pxc-0", "tenant/evil-pxc-0", "tenant/c9-pxc-7"),
                keys(s));
    }

    private SnapshotRecorder run(boolean requireOwner) {
        var c = PxcPods.config(List.of(), null, false);
        var config = new KubernetesDiscoveryConfig(
                c.enabled(),
                c.namespaces(),
                c.podSelector(),
                c.clusterDomain(),
                c.kubeconfig(),
                c.dnsService(),
                c.watchClusters(),
                requireOwner);
        SnapshotRecorder snapshots = new SnapshotRecorder();
        discovery = new KubernetesDiscovery(api.newClient(KubernetesClients::tune), config);
        discovery.start(snapshots);
        return snapshots;
    }

    private static Set<String> keys(TargetSnapshot s) {
        return s.members().stream().map(m -> m.namespace() + "/" + m.pod()).collect(Collectors.toSet());
    }

    private static Pod withoutOwner(Pod p) {
        return new PodBuilder(p)
                .editMetadata()
                .withOwnerReferences(List.of())
                .endMetadata()
                .build();
    }
}
