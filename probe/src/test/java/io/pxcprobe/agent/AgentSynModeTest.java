package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.probe.syn.RawSockets;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.PrometheusText;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code mode: auto} in a process that holds CAP_NET_RAW (the tests run as root): the agent settles
 * on {@code syn}, says so in build_info and /targets, and a listening port is {@code open} without
 * the server ever accepting a connection.
 */
class AgentSynModeTest {

    @Test
    void autoChoosesSynWhereRawSocketsAreAllowedAndTheServerAcceptsNothing() throws Exception {
        assertTrue(
                RawSockets.available(),
                "the test suite runs as root: " + RawSockets.check().reason());
        try (ServerSocket gcomm = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int closed = FreePorts.tcp();
            AgentConfig cfg =
                    new ConfigLoader(k -> null).parse("syn.yaml", """
                    node: syn-node
                    http: {bind: 127.0.0.1}
                    probes:
                      tcp:
                        mode: auto
                        interval: 200ms
                        timeout: 150ms
                        ports:
                          gcomm: {port: %d, expect: listening}
                          ist: {port: %d, expect: reachable}
                    discovery:
                      static:
                        clusters:
                          - {namespace: db, name: c1, members: [{pod: c1-pxc-0, address: 127.0.0.1}]}
                    """.formatted(gcomm.getLocalPort(), closed));
            try (Agent agent = Agent.start(
                    cfg, AgentOptions.defaults(null).withHttpPort(0).withSources(DiscoveryFactory.none()))) {
                assertEquals(TcpMode.SYN, agent.tcpMode());
                HttpClient http = HttpClient.newHttpClient();
                String metrics = "";
                long deadline = System.nanoTime() + 10_000_000_000L;
                String open =
                        "pxc_probe_tcp_probes_total{cluster=\"c1\",namespace=\"db\",pod=\"c1-pxc-0\",port=\"gcomm\",result=\"open\"";
                String refused = "port=\"ist\",result=\"refused\"";
                while (System.nanoTime() < deadline && !(metrics.contains(open) && metrics.contains(refused))) {
                    Thread.sleep(100);
                    metrics = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                }
                assertTrue(metrics.contains(open) && metrics.contains(refused), metrics);
                // the series exist from 0: the outcomes must also grow, at a 200 ms interval
                PrometheusText first = PrometheusText.parse(metrics);
                Thread.sleep(1000);
                PrometheusText later = PrometheusText.parse(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                Map<String, String> gcommOpen = Map.of("port", "gcomm", "result", "open");
                Map<String, String> istRefused = Map.of("port", "ist", "result", "refused");
                assertTrue(
                        later.sum("pxc_probe_tcp_probes_total", gcommOpen)
                                        - first.sum("pxc_probe_tcp_probes_total", gcommOpen)
                                >= 3,
                        "syn checks of gcomm open");
                assertTrue(
                        later.sum("pxc_probe_tcp_probes_total", istRefused)
                                        - first.sum("pxc_probe_tcp_probes_total", istRefused)
                                >= 3,
                        "syn checks of ist refused");
                assertTrue(metrics.contains("tcp_mode=\"syn\""), "build_info names the mode in use");
                String targets = http.send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + agent.httpPort() + "/targets?format=json"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertTrue(targets.contains("\"mode\" : \"syn\""), targets);
                gcomm.setSoTimeout(300);
                try {
                    gcomm.accept().close();
                    throw new AssertionError("a half-open probe must never reach the accept queue");
                } catch (SocketTimeoutException expected) {
                    // nothing was ever accepted: the kernel answered the SYN-ACK with RST
                }
            }
        }
    }
}
