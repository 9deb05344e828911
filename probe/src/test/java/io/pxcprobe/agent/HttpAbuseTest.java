package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.schedule.Phases;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.LoopbackListener;
import io.pxcprobe.testkit.MalformedRequests;
import io.pxcprobe.testkit.PrometheusText;
import io.pxcprobe.testkit.RawHttp;
import io.pxcprobe.testkit.RawHttp.Reply;
import io.pxcprobe.testkit.SlowClients;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent, at its default HTTP limits, under the abuse a client on the pod network can
 * send: 100 slowloris connections and 3,000 malformed requests while the kubelet polls
 * {@code /healthz} every second and Prometheus scrapes every 5 s. Its 2 members are checked every
 * 3 minutes, so no check runs for most of the window: the liveness rule of 0.1 ("a probe started
 * within 60 s") would have answered 503 there.
 */
class HttpAbuseTest {
    private static final long WINDOW_MILLIS = 75_000;
    private static final String QUIET_NODE = IntStream.range(0, 10_000)
            .mapToObj(i -> "abuse-node-" + i)
            .filter(n -> Stream.of("c1-pxc-0", "c1-pxc-5")
                    .allMatch(pod -> Phases.offsetNanos(
                                    n + "/tcp/db/c1/" + pod + "/gcomm",
                                    Duration.ofMinutes(3).toNanos(),
                                    0)
                            > Duration.ofSeconds(120).toNanos()))
            .findFirst()
            .orElseThrow();

    @TempDir
    Path dir;

    @Test
    void healthAndMetricsStayServedUnderSlowlorisAndMalformedRequests() throws Exception {
        try (LoopbackListener gcomm = LoopbackListener.open("127.0.0.1", 0)) {
            Path file = dir.resolve("agent.yaml");
            Files.writeString(file, config(gcomm.port()));
            try (Agent agent = Agent.start(
                    ConfigLoader.fromEnvironment().load(file),
                    AgentOptions.defaults(file)
                            .withHttpPort(0)
                            .withSources(DiscoveryFactory.none())
                            .withTcpModes(TcpModes.connectOnly()))) {
                run(agent.httpPort());
            }
        }
    }

    private void run(int port) throws Exception {
        await(() -> probes(scrape(port)) == 2, "each member's first check ran");
        String before = scrape(port);

        List<String> sick = new ArrayList<>();
        List<String> badScrapes = new ArrayList<>();
        AtomicInteger malformedAnswered = new AtomicInteger();
        List<String> malformedWrong = Collections.synchronizedList(new ArrayList<>());
        long slowestPoll = 0;
        int polls = 0;
        int scrapes = 0;
        long slowClosed;
        try (SlowClients slow = SlowClients.start(
                new InetSocketAddress("127.0.0.1", port),
                IntStream.rangeClosed(1, 10).mapToObj(i -> "127.0.1." + i).toList(),
                10,
                2000)) {
            Thread malformed = Thread.ofPlatform().daemon().name("malformed").start(() -> {
                long pace = (WINDOW_MILLIS - 5000) / 3000;
                for (int i = 0; i < 3000; i++) {
                    Reply r = RawHttp.exchange(
                            "127.0.0.2", port, MalformedRequests.ALL.get(i % MalformedRequests.ALL.size()), 2000);
                    if (r.status() == 400 && r.complete() && !r.body().isBlank()) {
                        malformedAnswered.incrementAndGet();
                    } else if (malformedWrong.size() < 10) {
                        malformedWrong.add(i + ": " + r);
                    }
                    sleep(pace);
                }
            });
            long start = System.nanoTime();
            long nextScrape = 0;
            while (elapsedMillis(start) < WINDOW_MILLIS) {
                Reply health = RawHttp.get("127.0.0.1", port, "/healthz", 1000);
                polls++;
                slowestPoll = Math.max(slowestPoll, health.millis());
                if (health.status() != 200 || !health.complete() || health.millis() > 1000) {
                    sick.add(elapsedMillis(start) + " ms: " + health);
                }
                if (elapsedMillis(start) >= nextScrape) {
                    Reply m = RawHttp.get("127.0.0.3", port, "/metrics", 5000);
                    scrapes++;
                    if (m.status() != 200
                            || !m.complete()
                            || !m.body().contains("pxc_probe_http_connections_closed_total")) {
                        badScrapes.add(
                                elapsedMillis(start) + " ms: status " + m.status() + ", complete " + m.complete());
                    }
                    nextScrape += 5000;
                }
                sleep(1000 - elapsedMillis(start) % 1000);
            }
            malformed.join(30_000);
            slowClosed = slow.closedByServer();
        }
        String after = scrape(port);

        double deadlineCloses =
                delta(before, after, "pxc_probe_http_connections_closed_total", Map.of("reason", "request_deadline"));
        double refused = delta(before, after, "pxc_probe_http_connections_refused_total", Map.of());
        System.out.printf(
                "abuse figures: %d polls, slowest %d ms, %d scrapes, %d malformed answered 400, "
                        + "%d slowloris closures, %.0f request-deadline closes, %.0f refused%n",
                polls, slowestPoll, scrapes, malformedAnswered.get(), slowClosed, deadlineCloses, refused);
        assertTrue(polls >= 70, "polled every second: " + polls);
        assertEquals(List.of(), sick, "every /healthz poll answered 200 within 1 s");
        assertTrue(scrapes >= 15, "scraped every 5 s: " + scrapes);
        assertEquals(List.of(), badScrapes, "every /metrics scrape served whole");
        assertEquals(
                3000, malformedAnswered.get(), "every malformed request got a 400 with a reason: " + malformedWrong);

        // positive controls: the abuse reached the agent and its limits acted on it
        assertTrue(slowClosed >= 100, "the server closed slowloris connections: " + slowClosed);
        assertTrue(
                deadlineCloses >= 80, "each admitted slowloris connection met the request deadline: " + deadlineCloses);
        assertTrue(refused >= 20, "10 connections from one address against a cap of 8: " + refused);
        // and the window had no check at all, so liveness did not lean on recent work
        assertEquals(probes(before), probes(after), "no TCP check ran for " + WINDOW_MILLIS / 1000 + " s");
    }

    /**
     * Two members checked every 3 minutes with no jitter, on a node whose name puts both steady slots
     * (a hash of the node's name and the check's key) more than 120 s after start, after the window
     * ends: the last assertion shows it.
     */
    private static String config(int gcommPort) {
        return """
                node: %s
                http:
                  bind: 127.0.0.1
                scheduler: {jitterPercent: 0}
                probes:
                  tcp:
                    interval: 3m
                    timeout: 1s
                    ports:
                      gcomm: {port: %d, expect: listening}
                """.formatted(QUIET_NODE, gcommPort)
                + AgentYaml.staticDiscovery(
                        "db",
                        "c1",
                        List.of(AgentYaml.member("c1-pxc-0", "127.0.0.1"), AgentYaml.member("c1-pxc-5", "127.0.0.1")));
    }

    private static String scrape(int port) {
        Reply r = RawHttp.get("127.0.0.1", port, "/metrics", 5000);
        assertEquals(200, r.status(), "/metrics: " + r);
        return r.body();
    }

    private static double delta(String before, String after, String family, Map<String, String> labels) {
        return PrometheusText.parse(after).sum(family, labels)
                - PrometheusText.parse(before).sum(family, labels);
    }

    private static double probes(String metrics) {
        return PrometheusText.parse(metrics).sum("pxc_probe_tcp_probes_total", Map.of());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Awaits.until(what, Duration.ofSeconds(20), condition);
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
