package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import io.pxcprobe.testkit.Dnsmasq;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.LoopbackListener;
import io.pxcprobe.testkit.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole agent with Kubernetes discovery on, built from its configuration file the way Main
 * builds it, against fabric8's mock API server (CRUD) holding two PXC clusters, a real dnsmasq as
 * the cluster DNS, and real listeners on loopback addresses standing in for the pods. Everything is
 * read back through the agent's HTTP endpoints. The tests run in order: each one changes the
 * cluster (DNS fixed, pod deleted, pod IP changed, API server gone) and checks what follows.
 *
 * <p>Cluster c1 (namespace db): three Ready pods; DNS has a stale record for c1-pxc-1 and lacks
 * c1-pxc-2 in the service's SRV set. Cluster c2 (namespace shop): two Ready pods, c2-pxc-1's gcomm
 * port closed; DNS lacks the {@code -unready} service name. Beside them an HAProxy pod and a
 * backup job pod that carry the operator's labels but must not be probed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesAgentTest {
    private static final String NODE = "k8s-test-node";
    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** The agent follows a change within a second; the rest is slack for a loaded 2-core machine. */
    private static final Duration FOLLOW = Duration.ofSeconds(3);
    /** fabric8's watch reconnect backoff doubles from 1 s to 32 s: a recovery fits in one full step. */
    private static final Duration RECOVERY = Duration.ofSeconds(45);

    @TempDir
    static Path dir;

    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper json = JsonMapper.builder().build();
    /** Loopback addresses of this run: 127.N.1.x for c1, 127.N.2.x for c2, N random so parallel runs keep apart. */
    private static final int NET = ThreadLocalRandom.current().nextInt(100, 250);

    private static final List<AutoCloseable> resources = new ArrayList<>();
    private static MockKubernetesApi api;
    private static KubernetesClient admin;
    private static Dnsmasq dns;
    private static Agent agent;
    private static final Map<String, LoopbackListener> gcommListeners = new HashMap<>();
    private static LoopbackListener c2MovedListener;
    private static int closedPort;
    private static long startedAtMillis;

    static String ip(int cluster, int host) {
        return "127." + NET + "." + cluster + "." + host;
    }

    static String podName(String cluster, int ordinal, String namespace) {
        return cluster + "-pxc-" + ordinal + "." + cluster + "-pxc." + namespace + ".svc.cluster.local";
    }

    static String service(String cluster, String namespace) {
        return cluster + "-pxc." + namespace + ".svc.cluster.local";
    }

    static String unready(String cluster, String namespace) {
        return cluster + "-pxc-unready." + namespace + ".svc.cluster.local";
    }

    static final String STALE_C1_1 = ip(1, 99);

    @BeforeAll
    static void start() throws Exception {
        startedAtMillis = System.currentTimeMillis();
        closedPort = FreePorts.tcp(ip(1, 10));
        for (int i = 0; i < 3; i++) {
            gcommListeners.put("c1-pxc-" + i, keep(LoopbackListener.open(ip(1, 10 + i), 0)));
        }
        LoopbackListener[] c2 = LoopbackListener.openOnSamePort(ip(2, 10), ip(2, 20));
        gcommListeners.put("c2-pxc-0", keep(c2[0]));
        c2MovedListener = keep(c2[1]);

        dns = keep(Dnsmasq.start(
                dir.resolve("dns"),
                hosts(false, ip(2, 10)),
                List.of(
                        new Dnsmasq.Srv(service("c1", "db"), podName("c1", 0, "db"), 3306),
                        new Dnsmasq.Srv(service("c1", "db"), podName("c1", 1, "db"), 3306),
                        new Dnsmasq.Srv(service("c2", "shop"), podName("c2", 0, "shop"), 3306),
                        new Dnsmasq.Srv(service("c2", "shop"), podName("c2", 1, "shop"), 3306))));

        api = keep(new MockKubernetesApi());
        api.serveCustomResource(MockKubernetesApi.PXC_CRD);
        admin = keep(api.newClient());
        for (int i = 0; i < 3; i++) {
            OperatorPods.create(
                    admin,
                    pxcPod(
                            "db",
                            "c1",
                            i,
                            ip(1, 10 + i),
                            "node-" + i,
                            gcommListeners.get("c1-pxc-" + i).port()));
        }
        OperatorPods.create(
                admin,
                pxcPod(
                        "shop",
                        "c2",
                        0,
                        ip(2, 10),
                        "node-0",
                        gcommListeners.get("c2-pxc-0").port()));
        OperatorPods.create(admin, pxcPod("shop", "c2", 1, ip(2, 11), "node-1", closedPort));
        admin.resource(new PodBuilder(pxcPod("shop", "c2", 0, ip(2, 30), "node-2", closedPort))
                        .editMetadata()
                        .withName("c2-haproxy-0")
                        .addToLabels("app.kubernetes.io/component", "haproxy")
                        .endMetadata()
                        .build())
                .create();
        admin.resource(new PodBuilder(pxcPod("shop", "c2", 0, ip(2, 31), "node-2", closedPort))
                        .editMetadata()
                        .withName("xb-daily-abcde")
                        .removeFromLabels("app.kubernetes.io/component")
                        .addToLabels(Map.of(
                                "percona.com/backup-type",
                                "xtrabackup",
                                "percona.com/cluster",
                                "c2",
                                "percona.com/backup-name",
                                "daily",
                                "percona.com/backup-job-name",
                                "xb-daily"))
                        .endMetadata()
                        .build())
                .create();
        admin.genericKubernetesResources(MockKubernetesApi.PXC_CRD)
                .inNamespace("db")
                .resource(cluster("db", "c1", "ready"))
                .create();
        admin.genericKubernetesResources(MockKubernetesApi.PXC_CRD)
                .inNamespace("shop")
                .resource(cluster("shop", "c2", "initializing"))
                .create();

        Path configFile = dir.resolve("agent.yaml");
        Files.writeString(configFile, """
                node: %s
                http: {bind: 127.0.0.1}
                probes:
                  tcp:
                    interval: 400ms
                    timeout: 300ms
                    ports:
                      gcomm: {port: 4567, expect: listening, podPorts: %s}
                      ist: {port: 4568, expect: reachable, podPorts: [%d]}
                      sst: {port: 4444, expect: reachable, podPorts: [%d]}
                  dns:
                    interval: 400ms
                    timeout: 300ms
                    resolvers: ["%s"]
                discovery:
                  kubernetes:
                    enabled: true
                    kubeconfig: %s
                    watchClusters: true
                """.formatted(
                        NODE,
                        Stream.concat(gcommListeners.values().stream().map(l -> l.port()), Stream.of(closedPort))
                                .distinct()
                                .toList(),
                        closedPort,
                        closedPort,
                        dns.address(),
                        api.writeKubeconfig(dir)));
        AgentConfig cfg = ConfigLoader.fromEnvironment().load(configFile);
        // the standard factory: the agent builds its own client from the kubeconfig, as Main's agent does
        agent = Agent.start(
                cfg,
                AgentOptions.defaults(configFile)
                        .withHttpPort(0)
                        .withSources(DiscoveryFactory.standard(null))
                        .withTcpModes(TcpModes.connectOnly()));
    }

    /** The cluster DNS's A records; c2-pxc-unready is never there, c1-pxc-1 is stale until fixed. */
    static List<String> hosts(boolean c1Fixed, String c2Pod0) {
        List<String> h = new ArrayList<>();
        h.add(ip(1, 10) + " " + podName("c1", 0, "db") + " " + service("c1", "db") + " " + unready("c1", "db"));
        h.add((c1Fixed ? ip(1, 11) : STALE_C1_1) + " " + podName("c1", 1, "db"));
        h.add(ip(1, 11) + " " + service("c1", "db") + " " + unready("c1", "db"));
        h.add(ip(1, 12) + " " + podName("c1", 2, "db") + " " + service("c1", "db") + " " + unready("c1", "db"));
        h.add(c2Pod0 + " " + podName("c2", 0, "shop") + " " + service("c2", "shop"));
        h.add(ip(2, 11) + " " + podName("c2", 1, "shop") + " " + service("c2", "shop"));
        return h;
    }

    /** An operator-shaped pod whose only listening Galera port is {@code gcommPort}. */
    static Pod pxcPod(String namespace, String cluster, int ordinal, String ip, String node, int gcommPort) {
        return OperatorPods.builder(namespace, cluster, ordinal, ip, node)
                .ports(closedPort, closedPort, gcommPort, closedPort)
                .partOfLabel()
                .build();
    }

    static GenericKubernetesResource cluster(String namespace, String name, String state) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("pxc.percona.com/v1")
                .withKind("PerconaXtraDBCluster")
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("status", Map.of("state", state, "pxc", Map.of("size", 3, "ready", 3)))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        Exception first = null;
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    @Order(1)
    void discoversBothClustersAndProbesEveryPortOfEveryMember() throws Exception {
        await(
                "discovery up and every check run",
                SETTLE,
                KubernetesAgentTest::targetsJson,
                t -> t.get("tcp").size() == 15
                        && !t.toString().contains("\"pending\"")
                        && metrics()
                                        .value("pxc_probe_discovery_up", Map.of("source", "kubernetes"))
                                        .orElse(0.0)
                                == 1.0);
        PrometheusText m = metrics();
        assertEquals(
                3.0,
                m.value("pxc_probe_targets", Map.of("namespace", "db", "cluster", "c1"))
                        .orElseThrow());
        assertEquals(
                2.0,
                m.value("pxc_probe_targets", Map.of("namespace", "shop", "cluster", "c2"))
                        .orElseThrow());
        assertEquals(15.0, m.value("pxc_probe_checks", Map.of("kind", "tcp")).orElseThrow(), "5 members x 3 ports");
        double lastUpdate = m.value("pxc_probe_discovery_last_update_timestamp_seconds", Map.of("source", "kubernetes"))
                .orElseThrow();
        assertTrue(
                lastUpdate >= startedAtMillis / 1000.0 && lastUpdate <= System.currentTimeMillis() / 1000.0 + 1,
                "last update " + lastUpdate + " is since the start");

        JsonNode t = targetsJson();
        assertEquals(NODE, t.get("sourceNode").asString());
        Set<String> probedPods = new TreeSet<>();
        for (JsonNode row : t.get("tcp")) {
            String pod = row.get("pod").asString();
            probedPods.add(row.get("namespace").asString() + "/" + pod);
            String port = row.get("port").asString();
            String where = pod + " " + port + ": " + row;
            assertEquals(expectedAddress(pod), row.get("address").asString(), where);
            assertTrue(row.get("targetNode").asString().startsWith("node-"), where);
            if (port.equals("gcomm") && !pod.equals("c2-pxc-1")) {
                assertEquals(
                        gcommListeners.get(pod).port(),
                        row.get("portNumber").asInt(),
                        "from the write-set container port: " + where);
                assertEquals("open", row.get("outcome").asString(), where);
                assertTrue(row.get("pathUp").asBoolean(), where);
            } else {
                assertEquals(closedPort, row.get("portNumber").asInt(), where);
                assertEquals("refused", row.get("outcome").asString(), where);
                assertEquals(
                        !port.equals("gcomm"),
                        row.get("pathUp").asBoolean(),
                        "refused proves only IST and SST: " + where);
            }
        }
        assertEquals(
                Set.of("db/c1-pxc-0", "db/c1-pxc-1", "db/c1-pxc-2", "shop/c2-pxc-0", "shop/c2-pxc-1"),
                probedPods,
                "neither the HAProxy pod nor the backup job pod");
        gcommListeners.forEach((pod, l) -> assertTrue(l.accepted() > 0, pod + "'s listener reached"));

        assertTrue(m.value("pxc_probe_tcp_probes_total", tcp("c1-pxc-0", "gcomm", "open"))
                        .orElseThrow()
                >= 1);
        assertTrue(m.value("pxc_probe_tcp_probes_total", tcp("c2-pxc-1", "gcomm", "refused"))
                        .orElseThrow()
                >= 1);
        assertTrue(m.value("pxc_probe_tcp_probes_total", tcp("c2-pxc-1", "ist", "refused"))
                        .orElseThrow()
                >= 1);
        assertEquals(
                1.0,
                m.value("pxc_probe_tcp_path_up", Map.of("pod", "c1-pxc-0", "port", "gcomm"))
                        .orElseThrow());
        assertEquals(
                0.0,
                m.value("pxc_probe_tcp_path_up", Map.of("pod", "c2-pxc-1", "port", "gcomm"))
                        .orElseThrow());
        assertEquals(
                1.0,
                m.value("pxc_probe_tcp_path_up", Map.of("pod", "c2-pxc-1", "port", "sst"))
                        .orElseThrow());
        assertEquals(
                "node-1",
                m.find("pxc_probe_tcp_path_up", Map.of("pod", "c1-pxc-1", "port", "gcomm"))
                        .getFirst()
                        .labels()
                        .get("target_node"));
        assertFalse(m.anySeriesWith(Map.of("pod", "c2-haproxy-0")));
        assertFalse(m.anySeriesWith(Map.of("pod", "xb-daily-abcde")));
        assertEquals(200, get("/readyz").statusCode(), get("/readyz").body());
    }

    @Test
    @Order(2)
    void dnsResultsByNameKindAndRecordType() throws Exception {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "pod A " + podName("c1", 0, "db"), "ok",
                "pod A " + podName("c1", 1, "db"), "mismatch",
                "pod A " + podName("c1", 2, "db"), "ok",
                "pod A " + podName("c2", 0, "shop"), "ok",
                "pod A " + podName("c2", 1, "shop"), "ok",
                "service A " + service("c1", "db"), "ok",
                "service SRV " + service("c1", "db"), "mismatch",
                "service A " + service("c2", "shop"), "ok",
                "service SRV " + service("c2", "shop"), "ok"));
        expected.put("unready A " + unready("c1", "db"), "ok");
        expected.put("unready A " + unready("c2", "shop"), "nxdomain");
        await("each DNS check's outcome", SETTLE, KubernetesAgentTest::dnsOutcomes, expected::equals);

        JsonNode stale = dnsRow(podName("c1", 1, "db"), "A");
        assertEquals(List.of(STALE_C1_1), strings(stale.get("answer")), stale.toString());
        assertEquals(List.of(ip(1, 11)), strings(stale.get("expected")), stale.toString());
        JsonNode srv = dnsRow(service("c1", "db"), "SRV");
        assertEquals(
                List.of(podName("c1", 0, "db"), podName("c1", 1, "db")), strings(srv.get("answer")), srv.toString());
        assertEquals(
                List.of(podName("c1", 0, "db"), podName("c1", 1, "db"), podName("c1", 2, "db")),
                strings(srv.get("expected")),
                srv.toString());

        PrometheusText m = metrics();
        String resolver = dns.address();
        assertTrue(m.value(
                                "pxc_probe_dns_lookups_total",
                                Map.of(
                                        "cluster",
                                        "c1",
                                        "name_kind",
                                        "pod",
                                        "pod",
                                        "c1-pxc-1",
                                        "rrtype",
                                        "A",
                                        "resolver",
                                        resolver,
                                        "result",
                                        "mismatch"))
                        .orElseThrow()
                >= 1);
        assertTrue(m.value(
                                "pxc_probe_dns_lookups_total",
                                Map.of(
                                        "cluster",
                                        "c1",
                                        "name_kind",
                                        "service",
                                        "pod",
                                        "-",
                                        "rrtype",
                                        "SRV",
                                        "result",
                                        "mismatch"))
                        .orElseThrow()
                >= 1);
        assertTrue(m.value(
                                "pxc_probe_dns_lookups_total",
                                Map.of("cluster", "c2", "name_kind", "unready", "rrtype", "A", "result", "nxdomain"))
                        .orElseThrow()
                >= 1);
        assertTrue(m.value(
                                "pxc_probe_dns_lookups_total",
                                Map.of("cluster", "c2", "name_kind", "service", "rrtype", "SRV", "result", "ok"))
                        .orElseThrow()
                >= 1);
        assertEquals(
                0.0,
                m.value("pxc_probe_dns_up", Map.of("cluster", "c1", "name_kind", "service", "rrtype", "SRV"))
                        .orElseThrow());
        assertEquals(
                1.0,
                m.value("pxc_probe_dns_up", Map.of("cluster", "c1", "name_kind", "service", "rrtype", "A"))
                        .orElseThrow());
        assertEquals(
                1.0,
                m.value("pxc_probe_dns_up", Map.of("pod", "c1-pxc-0", "name_kind", "pod"))
                        .orElseThrow());
        assertEquals(
                0.0,
                m.value("pxc_probe_dns_up", Map.of("cluster", "c2", "name_kind", "unready"))
                        .orElseThrow());
        assertTrue(
                m.sum("pxc_probe_dns_lookup_duration_seconds_count", Map.of("cluster", "c2", "name_kind", "unready"))
                        >= 1,
                "an NXDOMAIN is an answer, and timed");
    }

    @Test
    @Order(3)
    void clusterStateFollowsThePerconaXtraDBClusterObject() throws Exception {
        Map<String, String> c1 = Map.of("namespace", "db", "cluster", "c1");
        Map<String, String> c2 = Map.of("namespace", "shop", "cluster", "c2");
        await(
                "both clusters' states",
                SETTLE,
                KubernetesAgentTest::metrics,
                m -> m.find("pxc_probe_cluster_state", c1).size() == 1
                        && m.find("pxc_probe_cluster_state", c2).size() == 1);
        PrometheusText m = metrics();
        assertEquals(
                1.0,
                m.value("pxc_probe_cluster_state", with(c1, "state", "ready")).orElseThrow());
        assertEquals(
                1.0,
                m.value("pxc_probe_cluster_state", with(c2, "state", "initializing"))
                        .orElseThrow());

        admin.genericKubernetesResources(MockKubernetesApi.PXC_CRD)
                .inNamespace("shop")
                .withName("c2")
                .edit(cr -> cluster("shop", "c2", "ready"));
        await(
                "c2 ready, and only ready",
                FOLLOW,
                KubernetesAgentTest::metrics,
                x -> x.find("pxc_probe_cluster_state", c2).stream()
                        .map(s -> s.labels().get("state"))
                        .toList()
                        .equals(List.of("ready")));
    }

    @Test
    @Order(4)
    void aFixedDnsRecordTurnsTheMismatchOk() throws Exception {
        Map<String, String> c1Pod1 = Map.of("pod", "c1-pxc-1", "name_kind", "pod", "rrtype", "A");
        assertEquals(0.0, metrics().value("pxc_probe_dns_up", c1Pod1).orElseThrow());
        dns.replaceHosts(hosts(true, ip(2, 10)));
        await(
                "c1-pxc-1's record ok",
                FOLLOW,
                () -> dnsRow(podName("c1", 1, "db"), "A").get("outcome").asString(),
                "ok"::equals);
        await(
                "dns_up 1",
                FOLLOW,
                KubernetesAgentTest::metrics,
                m -> m.value("pxc_probe_dns_up", c1Pod1).orElse(0.0) == 1.0);
        assertTrue(metrics()
                        .value("pxc_probe_dns_lookups_total", with(c1Pod1, "result", "ok"))
                        .orElseThrow()
                >= 1);
    }

    @Test
    @Order(5)
    void aDeletedPodsSeriesDisappearAndTheExpectedDnsAnswersFollow() throws Exception {
        Map<String, String> pod2 = Map.of("pod", "c1-pxc-2");
        assertTrue(metrics().anySeriesWith(pod2));
        long t0 = System.nanoTime();
        admin.pods().inNamespace("db").withName("c1-pxc-2").delete();
        await("no series of c1-pxc-2", FOLLOW, KubernetesAgentTest::metrics, m -> !m.anySeriesWith(pod2));
        System.out.printf(
                "series of a deleted pod gone from /metrics after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        JsonNode t = targetsJson();
        t.get("tcp")
                .forEach(row -> assertFalse(row.get("pod").asString().equals("c1-pxc-2"), "no TCP check left: " + row));
        t.get("dns")
                .forEach(row -> assertFalse(
                        row.get("pod").asString().equals("c1-pxc-2")
                                || row.get("name").asString().startsWith("c1-pxc-2."),
                        "no DNS check of its name left: " + row));
        assertEquals(
                2.0,
                metrics().value("pxc_probe_targets", Map.of("cluster", "c1")).orElseThrow());

        // discovery now expects two members; the DNS still lists the deleted one in the service A set
        // (stale), while its SRV set, which lacked it all along, is now right
        await(
                "service A stale, SRV right",
                FOLLOW,
                KubernetesAgentTest::dnsOutcomes,
                o -> "mismatch".equals(o.get("service A " + service("c1", "db")))
                        && "ok".equals(o.get("service SRV " + service("c1", "db"))));
        assertEquals(
                List.of(ip(1, 10), ip(1, 11), ip(1, 12)),
                strings(dnsRow(service("c1", "db"), "A").get("answer")));
    }

    @Test
    @Order(6)
    void aPodIpChangeIsProbedAtTheNewAddress() throws Exception {
        LoopbackListener old = gcommListeners.get("c2-pxc-0");
        assertEquals(0, c2MovedListener.accepted(), "nothing probes the new address yet");
        admin.pods()
                .inNamespace("shop")
                .withName("c2-pxc-0")
                .editStatus(p -> new PodBuilder(p)
                        .editStatus()
                        .withPodIP(ip(2, 20))
                        .endStatus()
                        .build());
        await("c2-pxc-0 probed at " + ip(2, 20), FOLLOW, c2MovedListener::accepted, n -> n > 0);
        JsonNode gcomm = tcpRow("c2-pxc-0", "gcomm");
        assertEquals(ip(2, 20), gcomm.get("address").asString(), gcomm.toString());
        // a probe to the old address may have been in flight at the change; after that, none
        Thread.sleep(1_000);
        long oldCount = old.accepted();
        long newCount = c2MovedListener.accepted();
        Thread.sleep(1_500);
        assertEquals(oldCount, old.accepted(), "the old address is no longer probed");
        assertTrue(c2MovedListener.accepted() > newCount, "the new one is, on every interval");
        assertEquals("open", tcpRow("c2-pxc-0", "gcomm").get("outcome").asString());

        String name = podName("c2", 0, "shop");
        await(
                "the pod's old record is stale now",
                FOLLOW,
                () -> dnsRow(name, "A").get("outcome").asString(),
                "mismatch"::equals);
        dns.replaceHosts(hosts(true, ip(2, 20)));
        await(
                "and ok once DNS has the new address",
                FOLLOW,
                () -> dnsRow(name, "A").get("outcome").asString(),
                "ok"::equals);
    }

    @Test
    @Order(7)
    void withoutTheApiServerDiscoveryIsDownWhileTheLastKnownMembersAreStillProbed() throws Exception {
        Map<String, String> k8s = Map.of("source", "kubernetes");
        Map<String, String> c1Pod0Open = tcp("c1-pxc-0", "gcomm", "open");
        api.stop();
        await(
                "discovery_up 0",
                Duration.ofSeconds(15),
                KubernetesAgentTest::metrics,
                m -> m.value("pxc_probe_discovery_up", k8s).orElseThrow() == 0.0);
        PrometheusText down = metrics();
        double lastUpdate = down.value("pxc_probe_discovery_last_update_timestamp_seconds", k8s)
                .orElseThrow();
        double probesThen = down.value("pxc_probe_tcp_probes_total", c1Pod0Open).orElseThrow();
        long acceptedThen = gcommListeners.get("c1-pxc-1").accepted();
        Thread.sleep(2_000);
        PrometheusText later = metrics();
        assertEquals(0.0, later.value("pxc_probe_discovery_up", k8s).orElseThrow());
        assertEquals(
                lastUpdate,
                later.value("pxc_probe_discovery_last_update_timestamp_seconds", k8s)
                        .orElseThrow(),
                "no sync while the API server is away");
        assertTrue(later.value("pxc_probe_tcp_probes_total", c1Pod0Open).orElseThrow() > probesThen, "still probing");
        assertTrue(gcommListeners.get("c1-pxc-1").accepted() > acceptedThen, "still probing");
        assertEquals(
                2.0, later.value("pxc_probe_targets", Map.of("cluster", "c1")).orElseThrow(), "the last known members");
        assertEquals(200, get("/readyz").statusCode(), "synced once: stays ready, so the DaemonSet keeps its pods");

        api.start();
        long t0 = System.nanoTime();
        await(
                "discovery_up 1 again",
                RECOVERY,
                KubernetesAgentTest::metrics,
                m -> m.value("pxc_probe_discovery_up", k8s).orElseThrow() == 1.0);
        System.out.printf(
                "discovery back in sync %d ms after the API server returned%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(metrics()
                        .value("pxc_probe_discovery_last_update_timestamp_seconds", k8s)
                        .orElseThrow()
                > lastUpdate);
        admin.pods().inNamespace("shop").withName("c2-pxc-1").delete();
        await(
                "a change after the outage followed",
                FOLLOW,
                KubernetesAgentTest::metrics,
                m -> m.value("pxc_probe_targets", Map.of("cluster", "c2")).orElse(0.0) == 1.0);
    }

    private static String expectedAddress(String pod) {
        return switch (pod) {
            case "c1-pxc-0" -> ip(1, 10);
            case "c1-pxc-1" -> ip(1, 11);
            case "c1-pxc-2" -> ip(1, 12);
            case "c2-pxc-0" -> ip(2, 10);
            case "c2-pxc-1" -> ip(2, 11);
            default -> throw new AssertionError("unexpected pod " + pod);
        };
    }

    private static Map<String, String> tcp(String pod, String port, String result) {
        return Map.of("source_node", NODE, "pod", pod, "port", port, "result", result);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new HashMap<>(labels);
        out.put(key, value);
        return out;
    }

    /** "name_kind rrtype name" -> outcome, for every DNS check in the plan. */
    private static Map<String, String> dnsOutcomes() {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode row : targetsJson().get("dns")) {
            out.put(
                    row.get("nameKind").asString() + " " + row.get("type").asString() + " "
                            + row.get("name").asString(),
                    row.get("outcome").asString());
        }
        return out;
    }

    private static JsonNode dnsRow(String name, String type) {
        for (JsonNode row : targetsJson().get("dns")) {
            if (row.get("name").asString().equals(name)
                    && row.get("type").asString().equals(type)) {
                return row;
            }
        }
        throw new AssertionError("no DNS check of " + type + " " + name);
    }

    private static JsonNode tcpRow(String pod, String port) {
        for (JsonNode row : targetsJson().get("tcp")) {
            if (row.get("pod").asString().equals(pod)
                    && row.get("port").asString().equals(port)) {
                return row;
            }
        }
        throw new AssertionError("no TCP check of " + pod + " " + port);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static JsonNode targetsJson() {
        HttpResponse<String> r = get("/targets?format=json");
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private static PrometheusText metrics() {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        return PrometheusText.parse(r.body());
    }

    private static HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        }
    }

    /** Polls until {@code ok} holds for what {@code read} returns; on timeout fails with the last value seen. */
    private static <T> T await(String what, Duration within, Supplier<T> read, Predicate<T> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        while (true) {
            last = read.get();
            if (ok.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + within + "; last seen: " + last);
            }
            Thread.sleep(50);
        }
    }
}
