package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.cli.CommandLine;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.mesh.ClusterCommand;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Bind9;
import io.pxcprobe.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * {@code /cluster} across four real agents on loopback addresses 127.0.0.1-4, found through the A
 * records of a real BIND: node-b sees one pod's gcomm refused, the others see it up. Then node-c
 * is stopped and node-d's address is taken by a server that accepts and never answers: the table
 * marks both and the answer still comes within twice the per-agent deadline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterViewTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);
    private static final String[] NODES = {"node-a", "node-b", "node-c", "node-d"};

    @TempDir
    static Path dir;

    private static Bind9 dns;
    private static ServerSocket gcomm;
    private static ServerSocket silent;
    private static final List<Socket> held = new CopyOnWriteArrayList<>();
    private static final List<Agent> agents = new ArrayList<>();
    private static int port;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        dns = Bind9.start(
                dir.resolve("named"),
                List.of(
                        "agents.mon.svc IN A 127.0.0.1",
                        "agents.mon.svc IN A 127.0.0.2",
                        "agents.mon.svc IN A 127.0.0.3",
                        "agents.mon.svc IN A 127.0.0.4"));
        gcomm = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!gcomm.isClosed()) {
                try (Socket s = gcomm.accept()) {
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // closed, or the probe's reset
                }
            }
        });
        port = FreePorts.tcp();
        int closed = FreePorts.tcp();
        for (int i = 0; i < NODES.length; i++) {
            Path file = dir.resolve(NODES[i] + ".yaml");
            Files.writeString(file, config(i, closed));
            agents.add(Agent.start(
                    ConfigLoader.fromEnvironment().load(file),
                    AgentOptions.defaults(file)
                            .withHttpPort(port)
                            .withSources(DiscoveryFactory.none())
                            .withTcpModes(TcpModes.connectOnly())));
        }
    }

    /** node-b (i = 1) has c1-pxc-1 at an address where nothing listens: its gcomm is refused from there only. */
    private static String config(int i, int closedPort) {
        String c1pod1 = i == 1 ? "127.0.0.99" : "127.0.0.1";
        return """
                node: %s
                http: {bind: 127.0.0.%d, port: %d}
                probes:
                  tcp:
                    interval: 300ms
                    timeout: 250ms
                    ports:
                      gcomm: {port: %d, expect: listening}
                      ist: {port: %d, expect: reachable}
                  dns:
                    resolvers: ["%s"]
                peers:
                  dns: agents.mon.svc.cluster.local.
                  timeout: %dms
                  ratePerMinute: %d
                  burst: %d
                """.formatted(
                                NODES[i],
                                i + 1,
                                port,
                                gcomm.getLocalPort(),
                                closedPort,
                                dns.address(),
                                PEER_TIMEOUT.toMillis(),
                                i == 1 ? 1 : 600,
                                i == 1 ? 1 : 100)
                + AgentYaml.staticDiscovery(
                                "db",
                                "c1",
                                List.of(
                                        AgentYaml.member("c1-pxc-0", "127.0.0.1"),
                                        AgentYaml.member("c1-pxc-1", c1pod1)))
                        .replace("    clusters:\n", "    clusters:\n" + cluster2());
    }

    private static String cluster2() {
        return "      - namespace: db\n        name: c2\n        members:\n"
                + "          - " + AgentYaml.member("c2-pxc-0", "127.0.0.1") + "\n"
                + "          - " + AgentYaml.member("c2-pxc-1", "127.0.0.1") + "\n";
    }

    @AfterAll
    static void stop() throws Exception {
        for (Agent a : agents) {
            a.close();
        }
        for (Socket s : held) {
            s.close();
        }
        for (ServerSocket s : new ServerSocket[] {gcomm, silent}) {
            if (s != null) {
                s.close();
            }
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    @Order(1)
    void everyAgentsViewInOneTable() throws Exception {
        Awaits.until("every agent's checks have a result", Duration.ofSeconds(15), Duration.ofMillis(200), () -> {
            JsonNode v = cluster("/cluster?format=json");
            return v.get("agentsAnswered").asInt() == 4 && !v.toString().contains("?");
        });
        JsonNode v = cluster("/cluster?format=json");
        assertEquals(4, v.get("agentsAsked").asInt(), v.toPrettyString());
        assertEquals("[\"gcomm\",\"ist\"]", v.get("ports").toString());
        JsonNode c1 = grid(v, "c1");
        assertEquals("[\"c1-pxc-0\",\"c1-pxc-1\"]", c1.get("pods").toString());
        for (JsonNode row : c1.get("rows")) {
            String expected = row.get("source").asString().equals("node-b") ? "[\"..\",\"R.\"]" : "[\"..\",\"..\"]";
            assertEquals(expected, row.get("cells").toString(), row.toString());
        }
        assertEquals(1, v.get("down").size(), v.get("down").toString());
        JsonNode down = v.get("down").get(0);
        assertEquals(
                "c1-pxc-1 gcomm refused [\"node-b\"]",
                down.get("pod").asString() + " " + down.get("port").asString() + " "
                        + down.get("outcome").asString() + " " + down.get("fromNodes"));
        JsonNode notReady = v.get("backupNotReady");
        assertEquals(1, notReady.size(), notReady.toString());
        assertEquals("[\"gcomm\"]", notReady.get(0).get("failing").toString());
        assertEquals("[\"node-b\"]", notReady.get(0).get("nodes").toString());
        assertFalse(v.get("healthy").asBoolean());

        JsonNode c2only = cluster("/cluster?format=json&cluster=c2");
        assertTrue(c2only.get("healthy").asBoolean(), c2only.toPrettyString());
        assertEquals(1, c2only.get("clusters").size());

        String text = get(agentUri(0, "/cluster")).body();
        assertTrue(text.contains("db/c1-pxc-1 gcomm refused from node-b"), text);
        assertTrue(text.contains("backup of db/c1 would fail from node-b: gcomm"), text);
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }

        assertEquals(0, cli("--url", "http://127.0.0.1:" + port, "--cluster", "c2"));
        assertEquals(1, cli("--url", "http://127.0.0.1:" + port + "/", "--cluster", "c1"));
    }

    @Test
    @Order(2)
    void peersAreAskedForTargetsNeverForCluster() {
        // node-a's /cluster asked node-b above; node-b's own bucket (1 a minute) is still full, so
        // peers were asked /targets; the second call is the control: the bucket does limit
        HttpResponse<String> first = get(agentUri(1, "/cluster?cluster=c2"));
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> second = get(agentUri(1, "/cluster?cluster=c2"));
        assertEquals(429, second.statusCode(), second.body());
        assertTrue(second.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    @Order(3)
    void badQueriesAreRefusedWithTheReason() {
        HttpResponse<String> unknown = get(agentUri(0, "/cluster?pod=x"));
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown parameter 'pod'"), unknown.body());
        assertEquals(400, get(agentUri(0, "/cluster?format=xml")).statusCode());
        assertEquals(2, cli("--url", "ftp://127.0.0.1:" + port));
        assertEquals(2, cli("--cluster", "c1"));
    }

    @Test
    @Order(4)
    void aStoppedAndASilentAgentAreMarkedWithinTheDeadline() throws Exception {
        agents.get(2).close();
        agents.get(3).close();
        silent = new ServerSocket();
        silent.bind(new InetSocketAddress("127.0.0.4", port), 50);
        Thread.ofPlatform().daemon().start(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (Exception ignored) {
                    // closed at the end
                }
            }
        });
        long start = System.nanoTime();
        JsonNode v = cluster("/cluster?format=json");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 2 * PEER_TIMEOUT.toSeconds() + 1.5, "answered after " + seconds + " s");
        assertTrue(seconds >= PEER_TIMEOUT.toSeconds() * 0.9, "the silent agent was waited for: " + seconds + " s");
        assertEquals(2, v.get("agentsAnswered").asInt(), v.toPrettyString());
        assertEquals("refused", answer(v, "127.0.0.3:" + port));
        assertEquals("timeout", answer(v, "127.0.0.4:" + port));
        assertFalse(held.isEmpty(), "the silent server was asked");
        assertFalse(v.get("healthy").asBoolean());
        JsonNode c2 = grid(v, "c2");
        assertEquals(4, c2.get("rows").size(), c2.toString());

        String text = get(agentUri(0, "/cluster?cluster=c2")).body();
        assertTrue(text.contains("127.0.0.3:" + port + " no answer: refused"), text);
        assertTrue(text.contains("NO ANSWER"), text);
        assertTrue(text.contains("127.0.0.4:" + port + " timeout after"), text);
        assertEquals(1, cli("--url", "http://127.0.0.1:" + port, "--cluster", "c2"));
        // the stopped agent's own address: the command itself gets no answer
        assertEquals(2, cli("--url", "http://127.0.0.3:" + port));
    }

    private static String answer(JsonNode v, String address) {
        for (JsonNode a : v.get("agents")) {
            if (a.get("address").asString().equals(address)) {
                return a.get("answer").asString();
            }
        }
        throw new AssertionError("no agent " + address + " in " + v.get("agents"));
    }

    private static JsonNode grid(JsonNode v, String cluster) {
        for (JsonNode g : v.get("clusters")) {
            if (g.get("cluster").asString().equals(cluster)) {
                return g;
            }
        }
        throw new AssertionError("no cluster " + cluster + " in " + v);
    }

    private static JsonNode cluster(String path) {
        HttpResponse<String> r = get(agentUri(0, path));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode v = JSON.readTree(r.body());
        assertNotNull(v.get("agents"), r.body());
        return v;
    }

    private static int cli(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "cluster";
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        try {
            return ClusterCommand.run(CommandLine.parse(all), ps, ps);
        } catch (CommandLine.UsageException e) {
            return 2;
        }
    }

    private static URI agentUri(int i, String path) {
        return URI.create("http://127.0.0." + (i + 1) + ":" + port + path);
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(20))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
