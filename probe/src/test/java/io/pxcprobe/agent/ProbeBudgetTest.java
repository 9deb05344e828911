package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.plan.Sampling;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.HttpGet;
import io.pxcprobe.testkit.LoopbackListener;
import io.pxcprobe.testkit.PrometheusText;
import io.pxcprobe.testkit.RawHttp;
import io.pxcprobe.testkit.RawHttp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The probe budget on a whole agent: the census counts 200 agents (199 peers by address and this
 * one), so a 20-a-second budget stretches a 200 ms interval to 10 s, visibly (metric, /targets) and
 * for real (the connections the pod's listener accepts), beside an agent alone that keeps 200 ms.
 */
class ProbeBudgetTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void manyAgentsStretchTheIntervalSoTheFanInStaysWithinTheBudget() throws Exception {
        try (LoopbackListener alonePod = LoopbackListener.open("127.0.0.1", 0);
                LoopbackListener sharedPod = LoopbackListener.open("127.0.0.1", 0);
                Agent alone = start(config(alonePod.port(), List.of()));
                Agent shared = start(config(sharedPod.port(), peers(199)))) {
            Awaits.poll(
                    "the census counts 200 agents and the plan follows",
                    Duration.ofSeconds(20),
                    () -> metric(shared, "pxc_probe_agents", Map.of()) == 200 && interval(shared) == 10.0);
            assertEquals(10.0, metric(shared, "pxc_probe_tcp_interval_seconds", Map.of("port", "gcomm")));
            assertEquals(1.0, metric(alone, "pxc_probe_agents", Map.of()), "no peers: this agent alone");
            assertEquals(0.2, interval(alone), "alone: the configured interval");
            String text = get(shared, "/targets");
            assertTrue(text.contains("EVERY") && text.contains(" 10s "), text);

            // give the stretched job its new slot, then count what reaches each pod in the same window
            Awaits.pause(Duration.ofMillis(300));
            long aloneBefore = alonePod.accepted();
            long sharedBefore = sharedPod.accepted();
            Awaits.pause(Duration.ofSeconds(3));
            long aloneProbes = alonePod.accepted() - aloneBefore;
            long sharedProbes = sharedPod.accepted() - sharedBefore;
            assertTrue(aloneProbes >= 10, "positive control: 200 ms for 3 s reaches the pod, got " + aloneProbes);
            // one run in its new slot, and at most one more of the old 200 ms schedule still being accepted
            assertTrue(sharedProbes <= 2, "at one probe each 10 s, 3 s see at most one, got " + sharedProbes);
        }
    }

    @Test
    void aSampledPortIsLeftToTheAgentsRendezvousHashingPicksAndTheVerdictsPortIsNot() throws Exception {
        List<String> members = IntStream.range(0, 30)
                .mapToObj(i -> AgentYaml.member("c1-pxc-" + i, "127.0.0.1"))
                .toList();
        // this agent binds 127.0.0.5, one of the ten peers listed: it finds itself among them
        List<String> peers = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> "\"127.0.0." + i + ":9797\"")
                .toList();
        String yaml = """
                node: sampling-node
                http: {bind: 127.0.0.5}
                probes:
                  tcp:
                    interval: 1s
                    timeout: 500ms
                    ports:
                      gcomm: {port: 4567, expect: listening}
                      ist: {port: 4568, expect: reachable, sources: 3}
                peers:
                  addresses: %s
                """.formatted(peers) + AgentYaml.staticDiscovery("db", "c1", members);
        try (Agent agent = start(yaml);
                HttpGet http = new HttpGet("http://127.0.0.5:" + agent.httpPort())) {
            Awaits.poll(
                    "the census places this agent among 10 and the plan samples IST",
                    Duration.ofSeconds(20),
                    () -> PrometheusText.parse(http.ok("/metrics")).sum("pxc_probe_checks_sampled_out", Map.of()) > 0);
            PrometheusText m = PrometheusText.parse(http.ok("/metrics"));
            assertEquals(10, m.sum("pxc_probe_agents", Map.of()));
            JsonNode tcp = JSON.readTree(http.ok("/targets?format=json")).get("tcp");
            int gcomm = 0;
            int ist = 0;
            for (JsonNode row : tcp) {
                gcomm += row.get("port").asString().equals("gcomm") ? 1 : 0;
                ist += row.get("port").asString().equals("ist") ? 1 : 0;
            }
            assertEquals(30, gcomm, "the backup verdict's port: every pod from every node");
            assertEquals(30, ist + m.sum("pxc_probe_checks_sampled_out", Map.of()), "each IST probed or sampled out");
            List<String> fleet = IntStream.rangeClosed(1, 10)
                    .mapToObj(i -> "127.0.0." + i)
                    .sorted()
                    .toList();
            long mine = IntStream.range(0, 30)
                    .filter(i -> Sampling.chosen("db/c1/c1-pxc-" + i + "/ist", "127.0.0.5", fleet, 3))
                    .count();
            assertEquals(mine, ist, "exactly the IST paths rendezvous hashing gives this agent");
            assertTrue(ist > 0 && ist < 30, "a share, neither none nor all: " + ist);
        }
    }

    private static Agent start(String yaml) throws Exception {
        return Agent.start(
                ConfigLoader.fromEnvironment().parse("budget.yaml", yaml),
                AgentOptions.defaults(null).withHttpPort(0).withTcpModes(TcpModes.connectOnly()));
    }

    private static List<String> peers(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "\"127.0." + (1 + i / 250) + "." + (1 + i % 250) + ":9797\"")
                .toList();
    }

    private static String config(int gcommPort, List<String> peers) {
        return """
                node: budget-node
                http: {bind: 127.0.0.1}
                probes:
                  tcp:
                    interval: 200ms
                    timeout: 150ms
                    budget: 20
                    ports:
                      gcomm: {port: %d, expect: listening}
                %s""".formatted(gcommPort, peers.isEmpty() ? "" : "peers:\n  addresses: " + peers + "\n")
                + AgentYaml.staticDiscovery("db", "c1", List.of(AgentYaml.member("c1-pxc-0", "127.0.0.1")));
    }

    private static double interval(Agent agent) {
        JsonNode tcp = JSON.readTree(get(agent, "/targets?format=json")).get("tcp");
        return tcp.isEmpty() ? -1 : tcp.get(0).get("intervalSeconds").asDouble();
    }

    private static double metric(Agent agent, String name, Map<String, String> labels) {
        return PrometheusText.parse(get(agent, "/metrics")).sum(name, labels);
    }

    private static String get(Agent agent, String path) {
        Reply r = RawHttp.get("127.0.0.1", agent.httpPort(), path, 5000);
        assertEquals(200, r.status(), r.body());
        return r.body();
    }
}
