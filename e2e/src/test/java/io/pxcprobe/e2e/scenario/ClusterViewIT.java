package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.HttpGet;
import io.pxcprobe.testkit.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /cluster} across three agents in their own network namespaces, found through the A records
 * of the agents' headless Service on the testbed's dnsmasq: all three answer with the same healthy
 * view; then node-3 is stopped (refused) and node-2's HTTP answers are held back 3 s, past the 2 s
 * per-agent deadline (a slow agent whose probes still run): the table marks both and node-1 still
 * answers within twice the deadline plus the DNS lookup's.
 */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class ClusterViewIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
    private final HttpGet http = new HttpGet("", Duration.ofSeconds(15));

    @Test
    void marksTheStoppedAndTheSlowAgentAndAnswersWithinItsDeadline(Testbed tb, Figures figures) {
        Agent node1 = tb.agents().get(0);
        Agent node2 = tb.agents().get(1);
        try (Agent node3 = tb.extraAgent(Agent.Rate.DEFAULT)) {
            String url = "http://" + node1.ip() + ":" + Agent.PORT + "/cluster?format=json";
            JsonNode all = Awaits.poll("every agent has a result for every path", Duration.ofSeconds(60), () -> {
                JsonNode v = get(url);
                return v.get("agentsAnswered").asInt() == 3 && v.get("healthy").asBoolean()
                        ? Optional.of(v)
                        : Optional.empty();
            });
            assertEquals(3, all.get("agentsAsked").asInt(), all.toPrettyString());
            JsonNode grid = all.get("clusters").get(0);
            assertEquals(List.of("node-1", "node-2", "node-3"), sources(grid), grid.toString());
            double healthySeconds = all.get("seconds").asDouble();
            // the probe budget's census reads the same records: three agents, this one included
            Awaits.poll(
                    "the census counts the three agents of the headless Service",
                    Duration.ofSeconds(10),
                    () -> PrometheusText.parse(node1.metricsText()).sum("pxc_probe_agents", Map.of()) == 3);

            node3.stop();
            JsonNode v;
            long started;
            double elapsed;
            String text;
            try (Fault slow = tb.slowAnswers(node2, Duration.ofSeconds(3))) {
                started = System.nanoTime();
                v = get(url);
                elapsed = (System.nanoTime() - started) / 1e9;
                text = getText("http://" + node1.ip() + ":" + Agent.PORT + "/cluster");
            }
            assertTrue(text.contains("no answer: timeout") && text.contains("no answer: refused"), text);
            assertEquals(1, v.get("agentsAnswered").asInt(), v.toPrettyString());
            assertEquals(List.of("node-1"), sources(v.get("clusters").get(0)), v.toString());
            List<String> failures = new ArrayList<>();
            v.get("agents").forEach(a -> {
                if (!a.get("answer").asString().equals("ok")) {
                    failures.add(
                            a.get("address").asString() + "=" + a.get("answer").asString());
                }
            });
            assertEquals(
                    List.of(node2.ip() + ":" + Agent.PORT + "=timeout", node3.ip() + ":" + Agent.PORT + "=refused"),
                    failures.stream().sorted().toList(),
                    v.toPrettyString());
            assertFalse(v.get("healthy").asBoolean(), "agents that did not answer make the view unhealthy");
            double bound = 2 * PEER_TIMEOUT.toSeconds() + PEER_TIMEOUT.toSeconds() + 0.5;
            assertTrue(elapsed <= bound, "answered after " + elapsed + " s, bound " + bound);

            assertTrue(text.lines().allMatch(l -> l.length() <= 80), text);
            figures.section(
                    "/cluster across agents in namespaces (ClusterViewIT)",
                    String.format(
                            Locale.ROOT,
                            "3 agents answering: %.3f s (the view's own figure). One stopped and one 3 s slow "
                                    + "(peers.timeout 2 s): %.2f s at the client.%n",
                            healthySeconds,
                            elapsed));
        }
    }

    private static List<String> sources(JsonNode grid) {
        List<String> out = new ArrayList<>();
        grid.get("rows").forEach(r -> {
            if (r.get("failure").isNull()) {
                out.add(r.get("source").asString());
            }
        });
        return out.stream().sorted().toList();
    }

    private JsonNode get(String url) {
        return JSON.readTree(getText(url));
    }

    private String getText(String url) {
        return http.ok(url);
    }
}
