package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.discovery.DiscoverySource;
import io.pxcprobe.discovery.DiscoveryStatus;
import io.pxcprobe.probe.syn.RawSockets;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.LoopbackListener;
import io.pxcprobe.testkit.PrometheusText;
import io.pxcprobe.testkit.RawHttp;
import io.pxcprobe.testkit.RawHttp.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A live configuration edit is applied whole or not at all: an edit naming a TCP mode the process
 * cannot run is refused with the last good configuration kept and discovery updates still applied;
 * an edit naming a mode whose prober is not open yet opens it, and the checks then really run in it.
 */
class ConfigReloadTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void synWithoutRawSocketsIsRefusedWholeAndDiscoveryUpdatesStillApply() throws Exception {
        try (LoopbackListener gcomm = LoopbackListener.open("127.0.0.1", 0)) {
            Path file = dir.resolve("agent.yaml");
            edit(file, config(gcomm.port(), "connect", "c1-pxc-0"));
            PushedDiscovery pushed = new PushedDiscovery();
            try (Agent agent = Agent.start(
                    ConfigLoader.fromEnvironment().load(file),
                    AgentOptions.defaults(file)
                            .withHttpPort(0)
                            .withReloadPeriod(100)
                            .withSources(c -> List.of(pushed))
                            .withTcpModes(TcpModes.connectOnly()))) {
                int port = agent.httpPort();
                await(() -> modes(port).equals(Map.of("c1-pxc-0", "connect")), "the first plan");
                double failuresBefore = PrometheusText.parse(metrics(port))
                        .sum("pxc_probe_config_reloads_total", Map.of("result", "failure"));

                edit(file, config(gcomm.port(), "syn", "c1-pxc-0", "c1-pxc-1"));
                await(
                        () -> PrometheusText.parse(metrics(port))
                                        .sum("pxc_probe_config_reloads_total", Map.of("result", "failure"))
                                == failuresBefore + 1,
                        "the edit is refused");
                String m = metrics(port);
                assertEquals(
                        0,
                        PrometheusText.parse(m).sum("pxc_probe_config_last_reload_successful", Map.of()),
                        "the refusal shows");
                assertEquals(
                        Map.of("c1-pxc-0", "connect"),
                        modes(port),
                        "nothing of the refused edit applies: not its mode, not its new member");

                pushed.publish(member("c1-pxc-9"));
                await(
                        () -> modes(port).containsKey("c1-pxc-9"),
                        "a discovery update after the refused edit is applied");
                assertEquals("connect", modes(port).get("c1-pxc-9"));

                double successesBefore = PrometheusText.parse(metrics(port))
                        .sum("pxc_probe_config_reloads_total", Map.of("result", "success"));
                edit(file, config(gcomm.port(), "connect", "c1-pxc-0", "c1-pxc-1"));
                // the reloader applies the edit first and counts it after: wait for both
                await(
                        () -> modes(port).containsKey("c1-pxc-1")
                                && PrometheusText.parse(metrics(port))
                                                .sum("pxc_probe_config_reloads_total", Map.of("result", "success"))
                                        == successesBefore + 1,
                        "positive control: a good edit applies");
                m = metrics(port);
                assertEquals(
                        successesBefore + 1,
                        PrometheusText.parse(m).sum("pxc_probe_config_reloads_total", Map.of("result", "success")));
                assertEquals(1, PrometheusText.parse(m).sum("pxc_probe_config_last_reload_successful", Map.of()));
            }
        }
    }

    @Test
    void synOnReloadOpensTheSynProberAndTheChecksRunHalfOpen() throws Exception {
        assertTrue(
                RawSockets.available(),
                "the test suite runs as root: " + RawSockets.check().reason());
        try (LoopbackListener gcomm = LoopbackListener.open("127.0.0.1", 0)) {
            Path file = dir.resolve("agent.yaml");
            edit(file, config(gcomm.port(), "connect", "c1-pxc-0"));
            try (Agent agent = Agent.start(
                    ConfigLoader.fromEnvironment().load(file),
                    AgentOptions.defaults(file)
                            .withHttpPort(0)
                            .withReloadPeriod(100)
                            .withSources(DiscoveryFactory.none())
                            .withTcpModes(TcpModes.detect()))) {
                int port = agent.httpPort();
                // positive control: connect checks reach the listener's accept queue
                await(() -> gcomm.accepted() >= 3, "connect checks are accepted by the listener");

                edit(file, config(gcomm.port(), "syn", "c1-pxc-0"));
                await(() -> modes(port).equals(Map.of("c1-pxc-0", "syn")), "the edit applies");
                double open =
                        PrometheusText.parse(metrics(port)).sum("pxc_probe_tcp_probes_total", Map.of("result", "open"));
                long accepted = gcomm.accepted();
                await(
                        () -> PrometheusText.parse(metrics(port))
                                        .sum("pxc_probe_tcp_probes_total", Map.of("result", "open"))
                                >= open + 5,
                        "syn checks find the port open");
                Reply adHoc = RawHttp.get("127.0.0.1", port, "/probe?cluster=c1&pod=c1-pxc-0", 3000);
                assertEquals(200, adHoc.status(), adHoc.body());
                assertTrue(adHoc.body().contains("(syn): open"), adHoc.body());
                assertEquals(
                        accepted, gcomm.accepted(), "what /targets and /probe call syn never completed a handshake");
            }
        }
    }

    @Test
    void aCheckLimitLeavesWholeMembersOutAndSaysSoOnce() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger agentLog = (Logger) LoggerFactory.getLogger(Agent.class);
        logged.start();
        agentLog.addAppender(logged);
        try (LoopbackListener gcomm = LoopbackListener.open("127.0.0.1", 0)) {
            String[] pods = {"c1-pxc-0", "c1-pxc-1", "c1-pxc-2", "c1-pxc-3", "c1-pxc-4"};
            Path file = dir.resolve("agent.yaml");
            edit(file, config(gcomm.port(), "connect", pods) + "scheduler: {maxChecks: 5}\n");
            try (Agent agent = Agent.start(
                    ConfigLoader.fromEnvironment().load(file),
                    AgentOptions.defaults(file)
                            .withHttpPort(0)
                            .withReloadPeriod(100)
                            .withSources(DiscoveryFactory.none())
                            .withTcpModes(TcpModes.connectOnly()))) {
                int port = agent.httpPort();
                await(() -> modes(port).size() == 5, "the first plan");
                PrometheusText m = PrometheusText.parse(metrics(port));
                assertEquals(5, m.sum("pxc_probe_checks_limit", Map.of()));
                assertEquals(0, m.sum("pxc_probe_checks_left_out", Map.of()), "the control: 5 checks fit a limit of 5");
                assertFalse(targets(port).contains("CHECK LIMIT"));

                edit(file, config(gcomm.port(), "connect", pods) + "scheduler: {maxChecks: 2}\n");
                await(
                        () -> PrometheusText.parse(metrics(port)).sum("pxc_probe_checks_left_out", Map.of()) == 3,
                        "3 checks left out");
                assertEquals(
                        Map.of("c1-pxc-0", "connect", "c1-pxc-1", "connect"), modes(port), "the first members, whole");
                assertTrue(targets(port)
                        .startsWith("# CHECK LIMIT REACHED: 3 checks are left out and not probed (limit 2;"));
                // a replan that leaves the same checks out logs nothing more
                edit(
                        file,
                        config(gcomm.port(), "connect", pods).replace("interval: 200ms", "interval: 300ms")
                                + "scheduler: {maxChecks: 2}\n");
                await(() -> reloads(port) >= 2, "the second edit");

                edit(file, config(gcomm.port(), "connect", pods));
                await(
                        () -> PrometheusText.parse(metrics(port)).sum("pxc_probe_checks_left_out", Map.of()) == 0,
                        "the heap's limit");
                assertTrue(PrometheusText.parse(metrics(port)).sum("pxc_probe_checks_limit", Map.of()) >= 1_000);
                assertEquals(5, modes(port).size());
            }
        } finally {
            agentLog.detachAppender(logged);
        }
        List<String> messages =
                logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(
                1,
                messages.stream()
                        .filter(x -> x.startsWith("check limit of 2 reached: 3 of 5 checks left out"))
                        .count(),
                messages.toString());
        assertEquals(
                1,
                messages.stream()
                        .filter(x -> x.startsWith("all 5 checks fit under the check limit"))
                        .count(),
                messages.toString());
    }

    private static double reloads(int port) {
        return PrometheusText.parse(metrics(port)).sum("pxc_probe_config_reloads_total", Map.of("result", "success"));
    }

    private static String targets(int port) {
        Reply r = RawHttp.get("127.0.0.1", port, "/targets", 3000);
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    /** Replaces the file whole, as a ConfigMap update does: a reload never reads half of it. */
    private static void edit(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String config(int gcommPort, String mode, String... pods) {
        StringBuilder sb = new StringBuilder("""
                node: reload-node
                http:
                  bind: 127.0.0.1
                probes:
                  tcp:
                    interval: 200ms
                    timeout: 150ms
                    ports:
                      gcomm: {port: %d, expect: listening, mode: %s}
                """.formatted(gcommPort, mode));
        List<String> members =
                Stream.of(pods).map(pod -> AgentYaml.member(pod, "127.0.0.1")).toList();
        return sb.append(AgentYaml.staticDiscovery("db", "c1", members)).toString();
    }

    /** Each checked pod's gcomm mode, as {@code /targets} names it. */
    private static Map<String, String> modes(int port) {
        Reply r = RawHttp.get("127.0.0.1", port, "/targets?format=json", 3000);
        assertEquals(200, r.status(), r.body());
        Map<String, String> modes = new TreeMap<>();
        for (JsonNode row : JSON.readTree(r.body()).get("tcp")) {
            modes.put(row.get("pod").asString(), row.get("mode").asString());
        }
        return modes;
    }

    private static String metrics(int port) {
        Reply r = RawHttp.get("127.0.0.1", port, "/metrics", 5000);
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Awaits.until(what, Duration.ofSeconds(10), condition);
    }

    private static TargetSnapshot member(String pod) throws Exception {
        Member m = new Member("db", "c1", pod, InetAddress.getByName("127.0.0.1"), "", true, Map.of());
        return new TargetSnapshot(List.of(m), List.of(), Map.of(), List.of());
    }

    /** A discovery source the test publishes to, as the Kubernetes one would on a pod event. */
    private static final class PushedDiscovery implements DiscoverySource {
        private volatile Consumer<TargetSnapshot> sink;

        @Override
        public String name() {
            return "pushed";
        }

        @Override
        public void start(Consumer<TargetSnapshot> onSnapshot) {
            sink = onSnapshot;
            onSnapshot.accept(TargetSnapshot.EMPTY);
        }

        void publish(TargetSnapshot snapshot) {
            sink.accept(snapshot);
        }

        @Override
        public DiscoveryStatus status() {
            return new DiscoveryStatus(true, true, System.currentTimeMillis(), null);
        }

        @Override
        public void close() {}
    }
}
