package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.HttpGet;
import io.pxcprobe.testkit.PrometheusText;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One agent with canary listeners and one sidecar-mode process on loopback, the sidecar standing in
 * for PXC pod c1-pxc-0 at 127.0.0.1: the sidecar finds the agent, learns its node from
 * {@code /identity}, and proves both canary ports; the agent counts the same connections under
 * c1-pxc-0 and judges the reverse requirements met, and, once the sidecar stops and the window
 * passes, failing (the positive control that the verdict can see a missing path).
 */
class ReversePathsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpGet http = new HttpGet("");

    @TempDir
    Path dir;

    @Test
    void sidecarProvesTheCanariesAndTheAgentCountsThem() throws Exception {
        int agentPort = FreePorts.tcp();
        int gcomm = FreePorts.tcp();
        int sst = FreePorts.tcp();
        Path agentFile = dir.resolve("agent.yaml");
        Files.writeString(
                agentFile,
                """
                node: node-a
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp:
                    interval: 1s
                    timeout: 500ms
                    ports:
                      gcomm: {port: %d, expect: listening}
                canary:
                  enabled: true
                  bind: 127.0.0.1
                  ports: {gcomm: %d, sst: %d}
                  window: 5s
                """.formatted(agentPort, FreePorts.tcp(), gcomm, sst)
                        + AgentYaml.staticDiscovery("db", "c1", List.of(AgentYaml.member("c1-pxc-0", "127.0.0.1"))));
        Path sidecarFile = dir.resolve("sidecar.yaml");
        Files.writeString(sidecarFile, """
                node: worker-7
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp:
                    interval: 300ms
                    timeout: 250ms
                    ports: {gcomm: %d, sst: %d}
                sidecar:
                  pod: c1-pxc-0
                  namespace: db
                  cluster: c1
                  refresh: 1s
                  agents:
                    addresses: ["127.0.0.1:%d"]
                """.formatted(FreePorts.tcp(), gcomm, sst, agentPort));

        try (Agent agent = start(agentFile)) {
            String agentUrl = "http://127.0.0.1:" + agentPort;
            Map<String, String> fromPod = Map.of("namespace", "db", "cluster", "c1", "pod", "c1-pxc-0");
            double before = metrics(agentUrl).sum("pxc_probe_canary_connections_total", fromPod);
            assertEquals(0, before, "no sidecar yet");
            // a source that is no member counts under empty labels, never as a pod
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                s.connect(new InetSocketAddress("127.0.0.1", gcomm), 1000);
            }
            Awaits.until(
                    "the stranger counted",
                    Duration.ofSeconds(5),
                    () -> metrics(agentUrl)
                                    .value("pxc_probe_canary_connections_total", Map.of("port", "gcomm", "pod", ""))
                                    .orElse(0.0)
                            == 1);

            String sidecarUrl;
            try (Agent sidecar = start(sidecarFile)) {
                sidecarUrl = "http://127.0.0.1:" + sidecar.httpPort();
                Map<String, String> reverse = Map.of(
                        "direction", "reverse",
                        "source_pod", "c1-pxc-0",
                        "pod", "node-a",
                        "target_node", "node-a");
                for (String port : new String[] {"gcomm", "sst"}) {
                    Map<String, String> series = with(reverse, "port", port);
                    Awaits.until(
                            "sidecar proves " + port,
                            Duration.ofSeconds(10),
                            () -> metrics(sidecarUrl)
                                            .value("pxc_probe_tcp_path_up", series)
                                            .orElse(0.0)
                                    == 1);
                }
                PrometheusText s = metrics(sidecarUrl);
                assertFalse(s.anySeriesWith(Map.of("source_node", "worker-7")), "a sidecar labels by pod, not node");
                assertTrue(s.find("pxc_probe_backup_path_ready", Map.of()).isEmpty(), "a sidecar judges no backup");
                assertEquals("[]", reasons(agentUrl).toString(), "both reverse paths proven");

                // every connection the sidecar made is one the canary counted under c1-pxc-0
                for (String port : new String[] {"gcomm", "sst"}) {
                    Map<String, String> opened = with(with(reverse, "port", port), "result", "open");
                    Awaits.until(
                            "three probes of " + port,
                            Duration.ofSeconds(10),
                            () -> metrics(sidecarUrl).sum("pxc_probe_tcp_probes_total", opened) >= 3);
                    double s1 = metrics(sidecarUrl).sum("pxc_probe_tcp_probes_total", opened);
                    double a = metrics(agentUrl).sum("pxc_probe_canary_connections_total", with(fromPod, "port", port));
                    double s2 = metrics(sidecarUrl).sum("pxc_probe_tcp_probes_total", opened);
                    assertTrue(s1 >= 3, port + ": " + s1 + " probes");
                    assertTrue(a >= s1 - 1 && a <= s2 + 1, port + ": sidecar " + s1 + ".." + s2 + ", canary " + a);
                }
            }
            Awaits.until(
                    "reverse paths judged failing once the sidecar is gone",
                    Duration.ofSeconds(15),
                    () -> reasons(agentUrl).toString().equals("[\"reverse_gcomm\",\"reverse_sst\"]"));
        }
    }

    private static Agent start(Path file) throws Exception {
        return Agent.start(
                ConfigLoader.fromEnvironment().load(file),
                AgentOptions.defaults(file).withSources(DiscoveryFactory.none()).withTcpModes(TcpModes.connectOnly()));
    }

    /** The requirements of c1's verdict other than gcomm and unknown (the agent's own gcomm target is closed). */
    private JsonNode reasons(String url) {
        JsonNode t = JSON.readTree(get(url + "/targets?format=json"));
        for (JsonNode b : t.get("backup")) {
            if (b.get("cluster").asString().equals("c1")) {
                var out = JSON.createArrayNode();
                b.get("failing").forEach(f -> {
                    if (f.asString().startsWith("reverse")) {
                        out.add(f);
                    }
                });
                return out;
            }
        }
        throw new AssertionError("no verdict for c1: " + t);
    }

    private PrometheusText metrics(String url) {
        return PrometheusText.parse(get(url + "/metrics"));
    }

    private String get(String url) {
        return http.ok(url);
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        var out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }
}
