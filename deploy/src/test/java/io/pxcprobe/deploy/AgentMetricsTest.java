package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric a dashboard or alert rule reads is one the agent really exports: the agent distribution
 * runs with a static config on loopback, a real dnsmasq answers its lookups, and its /metrics is the list.
 */
class AgentMetricsTest {
    private static final Pattern SAMPLE_NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Pattern ANY_METRIC = Pattern.compile("(?<![\\w:])((?:pxc_probe|jvm|process)[a-zA-Z0-9_:]*)");
    private static final Pattern RECORD = Pattern.compile("(?m)^\\s*- record: (\\S+)$");
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final List<Process> started = new ArrayList<>();
    private static Set<String> exported;

    @BeforeAll
    static void runTheAgent() throws Exception {
        Path dist = Path.of(System.getProperty("pxcprobe.dist", "probe/target/pxc-probe"));
        Path launcher = dist.resolve("bin/pxc-probe");
        if (!Files.isExecutable(launcher)) {
            fail("no agent distribution at " + dist + ": build it first with `mvn -B package -pl probe -DskipTests`");
        }
        Path dir = Repository.scratch("agent");
        int dnsPort = freeUdpPort();
        int httpPort = freeTcpPort();
        String memberAddress = "127.0.0." + ThreadLocalRandom.current().nextInt(20, 250);
        String podName = "c1-pxc-0.c1-pxc.db.svc.cluster.local";
        Files.writeString(dir.resolve("hosts"), memberAddress + " " + podName + "\n");
        started.add(dnsmasq(dir, dnsPort));
        Files.writeString(dir.resolve("agent.yaml"), """
                node: metrics-test-node
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp: {interval: 500ms, timeout: 300ms}
                  dns: {interval: 500ms, timeout: 300ms, resolvers: ["127.0.0.1:%d"]}
                discovery:
                  kubernetes: {enabled: false}
                  static:
                    clusters:
                      - namespace: db
                        name: c1
                        members:
                          - {pod: c1-pxc-0, address: %s, dnsName: %s, node: target-node}
                """.formatted(httpPort, dnsPort, memberAddress, podName));
        started.add(new ProcessBuilder(launcher.toString(), "--config", dir.resolve("agent.yaml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start());
        exported = scrapeUntilComplete(httpPort, dir.resolve("agent.log"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Process dnsmasq(Path dir, int port) throws IOException {
        Path binary = Path.of("/usr/sbin/dnsmasq");
        if (!Files.isExecutable(binary)) {
            fail("dnsmasq not found at " + binary + ": install the Debian package dnsmasq-base");
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port,
                "--pid-file=", "--local=/cluster.local/", "--addn-hosts=" + dir.resolve("hosts")));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--user=root"); // the scratch directory is private to this user
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
    }

    /** Sample names of /metrics once TCP and DNS results, answered ones included, are in. */
    private static Set<String> scrapeUntilComplete(int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            for (Process p : started) {
                if (!p.isAlive()) {
                    fail("a process ended early (exit " + p.exitValue() + "); agent log:\n" + Files.readString(log));
                }
            }
            try {
                body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("pxc_probe_dns_lookup_duration_seconds_count") && body.contains("pxc_probe_tcp_connect_duration_seconds_count")
                        && body.contains("pxc_probe_dns_up") && body.contains("pxc_probe_schedule_lateness_seconds_count")) {
                    break;
                }
            } catch (IOException notYetListening) {
                // the agent is still starting
            }
            Thread.sleep(200);
        }
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE_NAME.matcher(body);
        while (m.find()) {
            names.add(PromQL.family(m.group(1)));
        }
        assertTrue(names.contains("pxc_probe_dns_lookup_duration_seconds"),
                "no answered DNS lookup within " + STARTUP_LIMIT + "; /metrics:\n" + body + "\nagent log:\n" + Files.readString(log));
        return names;
    }

    private static Set<String> allowed() throws IOException {
        Set<String> ok = new TreeSet<>(exported);
        Matcher r = RECORD.matcher(Files.readString(Repository.rulesFile()));
        while (r.find()) {
            ok.add(r.group(1));
        }
        // pxc_probe_cluster_state exists only with Kubernetes discovery and watchClusters (it reads
        // PerconaXtraDBCluster objects), which a loopback agent cannot have: it is checked against the
        // metric contract instead.
        assertTrue(Files.readString(Repository.root().resolve("docs/metrics.md")).contains("| `pxc_probe_cluster_state` |"),
                "pxc_probe_cluster_state is not in docs/metrics.md");
        ok.add("pxc_probe_cluster_state");
        return ok;
    }

    @Test
    void everyMetricTheDashboardsReadIsExported() throws Exception {
        Set<String> allowed = allowed();
        Set<String> missing = new TreeSet<>();
        for (var e : DashboardsTest.dashboards().entrySet()) {
            List<String> texts = new ArrayList<>(DashboardsTest.expressions(e.getValue()));
            texts.addAll(DashboardsTest.variableQueries(e.getValue()));
            for (String expr : texts) {
                for (String name : PromQL.metricNames(expr)) {
                    if (!allowed.contains(PromQL.family(name))) {
                        missing.add(e.getKey().getFileName() + ": " + name);
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "metrics the agent does not export; it exports " + exported);
    }

    @Test
    void everyMetricTheRulesReadIsExported() throws Exception {
        Set<String> allowed = allowed();
        Set<String> missing = new TreeSet<>();
        // the whole file: expressions and the queries inside annotation templates
        Matcher m = ANY_METRIC.matcher(Files.readString(Repository.rulesFile()));
        while (m.find()) {
            if (!allowed.contains(PromQL.family(m.group(1)))) {
                missing.add(m.group(1));
            }
        }
        assertEquals(Set.of(), missing, "metrics the agent does not export; it exports " + exported);
    }

    @Test
    void theAgentExportsWhatTheRulesAreBuiltOn() {
        assertTrue(exported.containsAll(Set.of("pxc_probe_tcp_path_up", "pxc_probe_tcp_probes_total", "pxc_probe_dns_up",
                "pxc_probe_dns_lookups_total", "pxc_probe_build_info", "pxc_probe_discovery_up")), exported.toString());
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
