package io.pxcprobe.discovery.kubernetes;

import static io.pxcprobe.testing.OperatorPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** PerconaXtraDBCluster states and the cluster DNS service's endpoints, and what happens when they cannot be watched. */
class KubernetesDiscoveryOptionalWatchesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration FOLLOW = Duration.ofSeconds(1);

    private MockKubernetesApi api;
    private KubernetesClient admin;
    private KubernetesDiscovery discovery;
    private final SnapshotRecorder snapshots = new SnapshotRecorder();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        api = new MockKubernetesApi();
        api.serveCustomResource(MockKubernetesApi.PXC_CRD);
        admin = api.newClient(KubernetesClients::tune);
        OperatorPods.create(admin, pod("db", "c1", 0, "10.1.0.10", "node-a", true));
        logs.start();
        ((Logger) LoggerFactory.getLogger(KubernetesDiscovery.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(KubernetesDiscovery.class)).detachAppender(logs);
        if (discovery != null) {
            discovery.close();
        }
        admin.close();
        api.close();
    }

    @Test
    void followsClusterStatesAndDnsEndpoints() throws Exception {
        admin.genericKubernetesResources(ClusterStates.CONTEXT)
                .inNamespace("db")
                .resource(cluster("db", "c1", "initializing"))
                .create();
        admin.genericKubernetesResources(DnsEndpoints.CONTEXT)
                .inNamespace("kube-system")
                .resource(slice("kube-dns-a", "10.96.1.1", "10.96.1.2"))
                .create();
        discovery = new KubernetesDiscovery(
                api.newClient(KubernetesClients::tune), PxcPods.config(List.of(), "kube-system/kube-dns", true));
        discovery.start(snapshots);
        snapshots.await(
                "state and resolvers",
                WAIT,
                s -> s.clusterStates().equals(Map.of("db/c1", "initializing"))
                        && s.resolvers().size() == 2);
        assertEquals(
                List.of(ResolverSpec.parse("10.96.1.1:53"), ResolverSpec.parse("10.96.1.2:53")),
                snapshots.latest().resolvers());
        Awaits.until("discovery up", WAIT, () -> discovery.status().up());

        admin.genericKubernetesResources(ClusterStates.CONTEXT)
                .inNamespace("db")
                .withName("c1")
                .edit(cr -> cluster("db", "c1", "ready"));
        snapshots.await(
                "state ready", FOLLOW, s -> "ready".equals(s.clusterStates().get("db/c1")));

        admin.genericKubernetesResources(DnsEndpoints.CONTEXT)
                .inNamespace("kube-system")
                .resource(slice("kube-dns-b", "10.96.1.3"))
                .create();
        snapshots.await("a third resolver", FOLLOW, s -> s.resolvers().size() == 3);
        admin.genericKubernetesResources(DnsEndpoints.CONTEXT)
                .inNamespace("kube-system")
                .withName("kube-dns-a")
                .delete();
        snapshots.await(
                "one resolver left", FOLLOW, s -> s.resolvers().equals(List.of(ResolverSpec.parse("10.96.1.3:53"))));

        admin.genericKubernetesResources(ClusterStates.CONTEXT)
                .inNamespace("db")
                .withName("c1")
                .delete();
        snapshots.await("no state", FOLLOW, s -> s.clusterStates().isEmpty());
    }

    @Test
    void aForbiddenClusterWatchIsLoggedOnceAndDiscoveryStaysUp() throws Exception {
        api.forbid(path -> path.startsWith("/apis/pxc.percona.com/"));
        discovery =
                new KubernetesDiscovery(api.newClient(KubernetesClients::tune), PxcPods.config(List.of(), null, true));
        discovery.start(snapshots);
        snapshots.await("the pod", WAIT, s -> s.members().size() == 1);
        Awaits.until("discovery up", WAIT, () -> discovery.status().up());
        Thread.sleep(3_000); // long enough for fabric8 to have retried, were it retrying
        var lines = logs.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("PerconaXtraDBCluster"))
                .toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.getFirst().contains("forbidden by RBAC (403)"), lines.getFirst());
        assertTrue(discovery.status().up());
        assertTrue(snapshots.latest().clusterStates().isEmpty());
    }

    private static GenericKubernetesResource cluster(String ns, String name, String state) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("pxc.percona.com/v1")
                .withKind("PerconaXtraDBCluster")
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("status", Map.of("state", state, "pxc", Map.of("size", 3, "ready", 3)))
                .build();
    }

    private static GenericKubernetesResource slice(String name, String... ips) {
        var endpoints = Arrays.stream(ips)
                .map(ip -> Map.<String, Object>of("addresses", List.of(ip), "conditions", Map.of("ready", true)))
                .toList();
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("discovery.k8s.io/v1")
                .withKind("EndpointSlice")
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName(name)
                .addToLabels(DnsEndpoints.SERVICE_NAME_LABEL, "kube-dns")
                .endMetadata()
                .addToAdditionalProperties("addressType", "IPv4")
                .addToAdditionalProperties("endpoints", endpoints)
                .addToAdditionalProperties(
                        "ports",
                        List.of(
                                Map.of("name", "dns", "port", 53, "protocol", "UDP"),
                                Map.of("name", "dns-tcp", "port", 53, "protocol", "TCP")))
                .build();
    }
}
