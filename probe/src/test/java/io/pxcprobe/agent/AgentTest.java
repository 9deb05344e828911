package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Bind9;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.Proc;
import io.pxcprobe.testkit.PrometheusText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole agent in-process against real sockets on loopback and a real BIND: every HTTP endpoint
 * and error path, and a live configuration reload.
 */
class AgentTest {
    @TempDir
    static Path dir;

    private static Bind9 dns;
    private static ServerSocket gcomm;
    private static Thread acceptor;
    private static Agent agent;
    private static Path configFile;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        dns = Bind9.start(
                dir.resolve("named"),
                List.of("c1-pxc-0.c1-pxc.db.svc IN A 127.0.0.1", "c1-pxc-1.c1-pxc.db.svc IN A 127.0.0.99"));
        gcomm = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!gcomm.isClosed()) {
                try (Socket s = gcomm.accept()) {
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // closed, or the probe's reset
                }
            }
        });
        configFile = dir.resolve("agent.yaml");
        Files.writeString(configFile, config(2));
        AgentConfig cfg = ConfigLoader.fromEnvironment().load(configFile);
        agent = Agent.start(
                cfg,
                AgentOptions.defaults(configFile)
                        .withHttpPort(0)
                        .withReloadPeriod(150)
                        .withSources(DiscoveryFactory.none())
                        .withTcpModes(TcpModes.connectOnly()));
        awaitTrue(
                () -> get("/targets").body().contains("c1-pxc-1")
                        && !get("/targets").body().contains("pending"),
                "every check ran once");
    }

    static String config(int members) {
        StringBuilder sb = new StringBuilder("""
                node: test-node
                http:
                  bind: 127.0.0.1
                  probe: {ratePerMinute: 60, burst: 3, allowCidrs: ["127.0.0.0/8"]}
                probes:
                  tcp:
                    interval: 300ms
                    timeout: 250ms
                    ports:
                      gcomm: {port: %d, expect: listening}
                      ist: {port: %d, expect: reachable}
                  dns:
                    interval: 300ms
                    timeout: 250ms
                    resolvers: ["%s"]
                """.formatted(gcomm.getLocalPort(), closedPort(), dns.address()));
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            pods.add("{pod: c1-pxc-" + i + ", address: 127.0.0.1, dnsName: c1-pxc-" + i
                    + ".c1-pxc.db.svc.cluster.local}");
        }
        return sb.append(AgentYaml.staticDiscovery("db", "c1", pods)).toString();
    }

    private static int closedPortValue;

    private static synchronized int closedPort() {
        if (closedPortValue == 0) {
            try {
                closedPortValue = FreePorts.tcp();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return closedPortValue;
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (gcomm != null) {
            gcomm.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> sendBytes(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + agent.httpPort() + path);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Awaits.until(what, Duration.ofSeconds(10), Duration.ofMillis(50), condition);
    }

    @Test
    void healthAndReadiness() {
        assertEquals(200, get("/healthz").statusCode());
        HttpResponse<String> ready = get("/readyz");
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void targetsTableShowsEachOutcomeAndPathVerdict() throws InterruptedException {
        awaitTrue(() -> !get("/targets").body().contains("pending"), "every check has a result");
        String body = get("/targets").body();
        assertTrue(body.contains("SOURCE") && body.contains("OUTCOME") && body.contains("AGE"), body);
        assertTrue(
                body.lines()
                        .anyMatch(l -> l.contains("db/c1/c1-pxc-0")
                                && l.contains("gcomm/")
                                && l.contains(" open ")
                                && l.contains(" up ")),
                body);
        assertTrue(
                body.lines()
                        .anyMatch(l -> l.contains("db/c1/c1-pxc-0")
                                && l.contains("ist/")
                                && l.contains(" refused ")
                                && l.contains(" up ")),
                "refused proves the IST path: " + body);
        assertTrue(
                body.lines()
                        .anyMatch(l ->
                                l.contains("c1-pxc-1.c1-pxc") && l.contains(" mismatch ") && l.contains("127.0.0.99")),
                body);
        assertTrue(body.lines().anyMatch(l -> l.contains("c1-pxc-0.c1-pxc") && l.contains(" ok ")), body);
    }

    @Test
    void targetsAsJsonByAcceptOrFormatAndFiltered() {
        JsonMapper json = JsonMapper.builder().build();
        HttpResponse<String> byAccept = send(HttpRequest.newBuilder(uri("/targets"))
                .header("Accept", "application/json")
                .build());
        assertEquals(
                "application/json",
                byAccept.headers().firstValue("content-type").orElse(""));
        JsonNode all = json.readTree(byAccept.body());
        assertEquals("test-node", all.get("sourceNode").asString());
        assertTrue(all.get("tcp").size() >= 4);
        JsonNode one = json.readTree(get("/targets?format=json&pod=c1-pxc-0").body());
        assertEquals(2, one.get("tcp").size());
        for (JsonNode row : one.get("tcp")) {
            assertEquals("c1-pxc-0", row.get("pod").asString());
            assertTrue(row.has("outcome") && row.has("latencySeconds") && row.has("ageSeconds"));
        }
    }

    @Test
    void checkCountersGrowByOutcome() throws Exception {
        Map<String, String> gcomm0 = Map.of("pod", "c1-pxc-0", "port", "gcomm");
        PrometheusText before = PrometheusText.parse(get("/metrics").body());
        Thread.sleep(1500);
        PrometheusText after = PrometheusText.parse(get("/metrics").body());
        double open = delta(before, after, "pxc_probe_tcp_probes_total", with(gcomm0, "result", "open"));
        double other = delta(before, after, "pxc_probe_tcp_probes_total", gcomm0) - open;
        assertTrue(open >= 3, "gcomm of c1-pxc-0 open at a 300 ms interval for 1.5 s: " + open);
        assertEquals(0, other, "and no other outcome for it");
        double refused = delta(
                before,
                after,
                "pxc_probe_tcp_probes_total",
                Map.of("pod", "c1-pxc-0", "port", "ist", "result", "refused"));
        assertTrue(refused >= 3, "ist of c1-pxc-0 refused: " + refused);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> m = new HashMap<>(labels);
        m.put(key, value);
        return m;
    }

    @Test
    void metricsInPrometheusTextAndOpenMetrics() {
        HttpResponse<String> text = get("/metrics");
        assertEquals(200, text.statusCode());
        assertTrue(text.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        String b = text.body();
        assertTrue(
                b.contains(
                        "pxc_probe_tcp_probes_total{cluster=\"c1\",namespace=\"db\",pod=\"c1-pxc-0\",port=\"gcomm\",result=\"open\",source_node=\"test-node\",target_node=\"\"}"),
                b);
        assertTrue(
                b.contains(
                        "pxc_probe_tcp_path_up{cluster=\"c1\",namespace=\"db\",pod=\"c1-pxc-0\",port=\"ist\",source_node=\"test-node\",target_node=\"\"} 1"),
                b);
        assertTrue(b.contains("pxc_probe_tcp_connect_duration_seconds_bucket{"), b);
        assertTrue(b.contains("result=\"mismatch\""), b);
        assertTrue(b.contains("pxc_probe_dns_up{") && b.contains("name_kind=\"pod\""), b);
        assertTrue(b.contains("pxc_probe_build_info{java_version="), b);
        assertTrue(b.contains("pxc_probe_schedule_lateness_seconds_bucket{kind=\"tcp\""), b);
        assertTrue(b.contains("jvm_memory_used_bytes"), "JVM metrics from Micrometer");
        HttpResponse<String> om = send(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build());
        assertTrue(om.headers().firstValue("content-type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().strip().endsWith("# EOF"));
        assertEquals(om.body().indexOf("# EOF"), om.body().lastIndexOf("# EOF"), "one EOF, at the end");
        assertEquals(1, b.split("# HELP pxc_probe_tcp_probes_total ", -1).length - 1, "each family once");
        // our families must pass promtool's lint (Micrometer's JVM metrics have lint findings of their own)
        var promtool = Proc.tryRun(
                "sh",
                "-c",
                "curl -s " + uri("/metrics") + " | grep -E '^(# (HELP|TYPE) )?pxc_probe_' | promtool check metrics");
        assertEquals(0, promtool.exitCode(), "promtool accepts the exposition: " + promtool.output());
        HttpResponse<byte[]> gz = sendBytes(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept-Encoding", "gzip")
                .build());
        assertEquals("gzip", gz.headers().firstValue("content-encoding").orElse(""));
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            String unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(unzipped.contains("pxc_probe_build_info{"), unzipped);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void probeNowPrintsEachPhase() {
        HttpResponse<String> r = get("/probe?cluster=c1&pod=c1-pxc-0");
        assertEquals(200, r.statusCode(), r.body());
        String b = r.body();
        assertTrue(b.startsWith("probe db/c1/c1-pxc-0 from test-node"), b);
        assertTrue(b.contains("dns  A c1-pxc-0.c1-pxc.db.svc.cluster.local @" + dns.address() + ": ok"), b);
        assertTrue(b.contains("tcp  gcomm 127.0.0.1:" + gcomm.getLocalPort() + " (connect): open"), b);
        assertTrue(b.contains("kernel rtt"), b);
        assertTrue(b.contains("tcp  ist") && b.contains("refused") && b.contains("[ECONNREFUSED]"), b);
    }

    @Test
    void probeByAnAddressInsideAllowCidrsRunsAConnectNow() throws Exception {
        String path = "/probe?address=127.0.0.1&port=" + gcomm.getLocalPort();
        HttpResponse<String> r = get(path);
        for (int i = 0; i < 50 && r.statusCode() == 429; i++) {
            Thread.sleep(100);
            r = get(path);
        }
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(
                r.body()
                        .contains("tcp  port" + gcomm.getLocalPort() + " 127.0.0.1:" + gcomm.getLocalPort()
                                + " (connect): open"),
                r.body());
        assertStatus(403, get("/probe?address=10.9.9.9&port=3306"), "nor inside http.probe.allowCidrs");
        for (int mysql : List.of(3306, 33060, 33062)) {
            assertStatus(
                    403,
                    get("/probe?address=127.0.0.1&port=" + mysql),
                    "is MySQL's: a connect probe counts toward max_connect_errors");
        }
    }

    @Test
    void badRequestsGetAReason() {
        assertStatus(404, get("/nope"), "no such path");
        assertStatus(404, get("/probe?cluster=c1&pod=c1-pxc-9"), "no discovered member");
        assertStatus(400, get("/probe?cluster=c1"), "give cluster and pod");
        assertStatus(400, get("/probe?cluster=c1&pod=c1-pxc-0&port=mysql"), "unknown port");
        assertStatus(400, get("/targets?colour=red"), "unknown parameter 'colour'");
        assertStatus(400, get("/targets?format=xml"), "format must be text or json");
        assertStatus(400, get("/targets?pod=a&pod=b"), "more than once");
        assertStatus(403, get("/probe?address=10.9.9.9&port=3306"), "not a discovered member");
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
        assertStatus(405, post, "POST is not allowed");
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
    }

    @Test
    void oversizedRequestIsRefusedAndTheConnectionClosed() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.httpPort())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /targets?x=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status.startsWith("HTTP/1.1 4"), status);
        }
    }

    @Test
    void probeIsRateLimited() throws Exception {
        int limited = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = get("/probe?cluster=c1&pod=c1-pxc-0&port=gcomm");
            if (r.statusCode() == 429) {
                limited++;
                assertTrue(r.headers().firstValue("retry-after").isPresent());
            }
        }
        assertTrue(limited >= 2, "burst 3 at 1/s: later requests limited, got " + limited);
        Thread.sleep(3100);
    }

    @Test
    void reloadAddsAndRemovesTargetsAndABadEditKeepsTheLastGoodOnes() throws Exception {
        Files.writeString(configFile, config(3));
        awaitTrue(() -> get("/targets").body().contains("db/c1/c1-pxc-2"), "new member picked up");
        awaitTrue(() -> get("/metrics").body().contains("pod=\"c1-pxc-2\""), "new series");

        Files.writeString(configFile, config(3).replace("interval: 300ms", "interval: soon"));
        awaitTrue(
                () -> get("/metrics")
                        .body()
                        .contains("pxc_probe_config_last_reload_successful{source_node=\"test-node\"} 0"),
                "bad edit reported");
        assertTrue(get("/targets").body().contains("db/c1/c1-pxc-2"), "last good targets kept");

        Files.writeString(configFile, config(1));
        awaitTrue(() -> !get("/targets").body().contains("c1-pxc-1"), "member removed");
        awaitTrue(
                () -> get("/metrics")
                        .body()
                        .contains("pxc_probe_config_last_reload_successful{source_node=\"test-node\"} 1"),
                "good edit reported");
        String metrics = get("/metrics").body();
        assertFalse(metrics.contains("pod=\"c1-pxc-1\""), "series of removed targets disappear");
        assertFalse(metrics.contains("pod=\"c1-pxc-2\""), "series of removed targets disappear");
        Files.writeString(configFile, config(2));
        awaitTrue(() -> get("/targets").body().contains("db/c1/c1-pxc-1"), "restored for the other tests");
    }

    private static void assertStatus(int code, HttpResponse<String> r, String reasonPart) {
        assertEquals(code, r.statusCode(), r.body());
        assertTrue(r.body().contains(reasonPart), "reason should say '" + reasonPart + "': " + r.body());
    }
}
