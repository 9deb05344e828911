package io.pxcprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.testkit.AgentProcess;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Distribution;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.Proc;
import io.pxcprobe.testkit.PrometheusText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution as a user runs it: its own runtime (no JAVA_HOME, a bare PATH), the
 * exit codes, a live agent, and SIGTERM ending it within 2 s.
 */
class DistributionIT {
    private static final Path DIST = Path.of(System.getProperty("pxcprobe.dist", "target/pxc-probe"));
    private static final Distribution BARE = Distribution.at(DIST).withEnvironment(Distribution::bareEnvironment);

    @TempDir
    Path dir;
    /** The agents' output, kept after the run. */
    private static Path logs;

    @BeforeAll
    static void logDirectory() throws IOException {
        logs = Files.createDirectories(Path.of("target", "distribution-it"));
    }

    private ProcessBuilder launcher(String... args) {
        return BARE.command(args);
    }

    /**
     * uid 65532 must reach the launcher: the build tree may sit below a directory only root can
     * enter (a clone in mktemp -d), so such tests run a copy installed where anyone can read it.
     * Returns the directory holding it as {@code pxc-probe}; the caller removes it.
     */
    private static Path installForAnyone() throws Exception {
        Path installed = Files.createTempDirectory(Path.of("/tmp"), "pxcprobe-dist-");
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxr-xr-x"));
        Proc.Result copy = Proc.tryRun(
                Duration.ofSeconds(60),
                "cp",
                "-a",
                DIST.toString(),
                installed.resolve("pxc-probe").toString());
        assertEquals(0, copy.exitCode(), copy.output());
        return installed;
    }

    private static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void runsOnItsOwnRuntime() throws Exception {
        assertTrue(Files.isExecutable(DIST.resolve("runtime/bin/java")), "jlink runtime shipped");
        Process p = launcher("--version").redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(output(p).startsWith("pxc-probe "));
    }

    @Test
    void badConfigExitsTwoWithOneMessage() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "http:\n  port: 99999\n");
        Process p = launcher("--config", f.toString()).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("pxc-probe: " + f + ":2: http.port: 99999 is out of range 1-65535", err.strip());
    }

    /**
     * The AOT cache holds the Kubernetes client's classes: the launcher uses it in a pod, where
     * Kubernetes discovery is on by default, and not outside one, unless PXC_PROBE_AOT says so.
     */
    @Test
    void usesTheAotCacheInAPodOrWhenAskedAndRejectsABadSetting() throws Exception {
        Assumptions.assumeTrue(
                Files.isRegularFile(DIST.resolve("lib/pxc-probe.aot")),
                "the build made no AOT cache (it says why); nothing to choose");
        assertEquals(true, startedFromCache(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")), "in a pod");
        assertEquals(false, startedFromCache(Map.of()), "outside a pod");
        assertEquals(true, startedFromCache(Map.of("PXC_PROBE_AOT", "on")));
        assertEquals(
                true,
                startedFromCache(Map.of(
                        "KUBERNETES_SERVICE_HOST",
                        "10.96.0.1",
                        "PXC_PROBE_CGROUP_DIR",
                        fakeCgroup(Map.of("memory.max", "536870912")).toString())),
                "a heap sized from a 512 MiB limit keeps the cache trained at 64 MiB");
        assertEquals(false, startedFromCache(Map.of("PXC_PROBE_AOT", "off", "KUBERNETES_SERVICE_HOST", "10.96.0.1")));
        assertEquals(
                false,
                startedFromCache(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), 2, "sidecar"),
                "a sidecar in a PXC pod: the agent's cache would cost it about 16 MiB (docs/reverse-paths.md)");

        ProcessBuilder bad = launcher("--version");
        bad.environment().put("PXC_PROBE_AOT", "yes");
        Process p = bad.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertEquals(
                "pxc-probe: PXC_PROBE_AOT is 'yes'; use auto, on or off",
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /**
     * The heap ceiling follows the container's memory limit (cgroup v2, else v1) less 96 MiB, never
     * below 64 MiB, and PXC_PROBE_JAVA_OPTS still has the last word.
     */
    @Test
    void theHeapFollowsTheContainersMemoryLimit() throws Exception {
        assertEquals(64, maxHeapMib(Map.of()), "no cgroup limit readable");
        assertEquals(416, maxHeapMib(Map.of("memory.max", "536870912")), "512 MiB, cgroup v2");
        assertEquals(64, maxHeapMib(Map.of("memory.max", "max")), "cgroup v2 without a limit");
        assertEquals(64, maxHeapMib(Map.of("memory.max", "167772160")), "the chart's 160 Mi: the floor");
        assertEquals(160, maxHeapMib(Map.of("memory/memory.limit_in_bytes", "268435456")), "256 MiB, cgroup v1");
        assertEquals(
                64,
                maxHeapMib(Map.of("memory/memory.limit_in_bytes", "9223372036854771712")),
                "cgroup v1 without a limit");
        assertEquals(100, maxHeapMib(Map.of("memory.max", "536870912"), "-Xmx100m"), "the user's own flag wins");
    }

    private int maxHeapMib(Map<String, String> cgroupFiles, String... javaOpts) throws Exception {
        ProcessBuilder pb = launcher("--version").redirectErrorStream(true);
        pb.environment().put("PXC_PROBE_CGROUP_DIR", fakeCgroup(cgroupFiles).toString());
        pb.environment().put("PXC_PROBE_JAVA_OPTS", String.join(" ", List.of(javaOpts)) + " -XX:+PrintFlagsFinal");
        Process p = pb.start();
        String out = output(p);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("size_t MaxHeapSize\\s+= (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return (int) (Long.parseLong(m.group(1)) >> 20);
    }

    /** A directory laid out as /sys/fs/cgroup, holding only {@code files}. */
    private Path fakeCgroup(Map<String, String> files) throws IOException {
        Path cgroup = Files.createTempDirectory(dir, "cgroup");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(cgroup.resolve(f.getKey()).getParent());
            Files.writeString(cgroup.resolve(f.getKey()), f.getValue() + "\n");
        }
        return cgroup;
    }

    private boolean startedFromCache(Map<String, String> env) throws Exception {
        return startedFromCache(env, 0, "--version");
    }

    private boolean startedFromCache(Map<String, String> env, int exitCode, String... args) throws Exception {
        ProcessBuilder pb = launcher(args).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PXC_PROBE_JAVA_OPTS", "-Xlog:class+load=info");
        Process p = pb.start();
        String out = output(p);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(exitCode, p.exitValue(), out);
        assertTrue(out.contains("io.pxcprobe.Main source:"), out);
        return out.contains("io.pxcprobe.Main source: shared objects file");
    }

    /**
     * Scrapes render on a thread at the lowest priority, nice 4 on Linux, so that a large scrape
     * does not delay probes; a non-root agent gets that too, and no JVM warning about it.
     */
    @Test
    void theScrapeThreadRunsAtNiceFourWithoutAWarning() throws Exception {
        int own = niceOf(Path.of("/proc/self/stat"));
        Assumptions.assumeTrue(
                own == 0, "this build runs at nice " + own + ": an unprivileged agent cannot set nice 4 below that");
        int port = FreePorts.tcp();
        Path installed = installForAnyone();
        Path config = installed.resolve("nice.yaml");
        Files.writeString(
                config,
                """
                node: nice
                http: {bind: 127.0.0.1, port: %d}
                """.formatted(port)
                        + AgentYaml.staticDiscovery("db", "c1", List.of(AgentYaml.member("c1-pxc-0", "127.0.0.1"))));
        config.toFile().setReadable(true, false);
        Path log = Files.createTempFile(logs, "nice-", ".log");
        AgentProcess p = Distribution.at(installed.resolve("pxc-probe"))
                .wrappedIn(List.of("setpriv", "--reuid=65532", "--regid=65532", "--clear-groups"))
                .withEnvironment(env -> {
                    Distribution.bareEnvironment(env);
                    env.put("HOME", "/tmp");
                })
                .start(config, log, "127.0.0.1", port);
        try {
            String body = p.awaitMetrics(m -> m.contains("pxc_probe_tcp_probes_total{"), Duration.ofSeconds(10));
            assertTrue(body.contains("pxc_probe_tcp_probes_total{"), "the agent probes and serves /metrics");
            Map<String, Integer> nice = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
                for (Path t : tasks.toList()) {
                    String stat = Files.readString(t.resolve("stat"));
                    nice.put(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), niceOf(t.resolve("stat")));
                }
            }
            assertEquals(4, nice.get("scrape"), "scrape thread: " + nice);
            List<Integer> loops = nice.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("probe-"))
                    .map(Map.Entry::getValue)
                    .toList();
            assertTrue(
                    !loops.isEmpty() && loops.stream().allMatch(n -> n == 0),
                    "the probe event loops keep nice 0: " + nice);
        } finally {
            assertTrue(p.stop(Duration.ofSeconds(10)));
            Proc.tryRun(Duration.ofSeconds(60), "rm", "-rf", installed.toString());
        }
        String out = Files.readString(log);
        assertTrue(!out.toLowerCase(Locale.ROOT).contains("warning"), out);
    }

    private static int niceOf(Path stat) throws IOException {
        String s = Files.readString(stat);
        return Integer.parseInt(s.substring(s.lastIndexOf(')') + 2).split(" ")[16]);
    }

    /**
     * The image's way to raw sockets without root: enable-raw-sockets gives a copy of java the file
     * capability; a uid-65532 process whose bounding set holds NET_RAW alone (what the chart's
     * capabilities give a container) then runs syn mode; without that, auto falls back to connect
     * and says why.
     */
    @Test
    void nonRootAgentGetsSynModeThroughTheCapabilityCopyOfJava() throws Exception {
        Path installed = installForAnyone();
        try {
            Path dist = installed.resolve("pxc-probe");
            Proc.Result enable = Proc.tryRun(
                    Duration.ofSeconds(30),
                    dist.resolve("bin/enable-raw-sockets").toString());
            assertEquals(0, enable.exitCode(), enable.output());
            assertEquals("tcp mode syn", tcpModeAsUser65532(dist, true, "+net_raw"));
            assertTrue(
                    tcpModeAsUser65532(dist, false, "+net_raw").startsWith("tcp mode connect (syn unavailable:"),
                    "without the capability copy: connect, and why");
        } finally {
            Proc.tryRun(Duration.ofSeconds(60), "rm", "-rf", installed.toString());
        }
    }

    private String tcpModeAsUser65532(Path dist, boolean rawSockets, String bounding) throws Exception {
        int port = FreePorts.tcp();
        Path f = dir.resolve("auto-" + rawSockets + ".yaml");
        Files.writeString(f, """
                node: n
                http: {bind: 127.0.0.1, port: %d}
                probes: {tcp: {mode: auto}}
                discovery: {kubernetes: {enabled: false}}
                """.formatted(port));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Path log = Files.createTempFile(logs, "auto-" + rawSockets + "-", ".log");
        AgentProcess p = Distribution.at(dist)
                .wrappedIn(List.of(
                        "setpriv",
                        "--reuid=65532",
                        "--regid=65532",
                        "--clear-groups",
                        "--inh-caps=-all",
                        "--bounding-set=-all," + bounding))
                .withEnvironment(env -> {
                    env.put("HOME", "/tmp");
                    env.put("PXC_PROBE_RAW_SOCKETS", rawSockets ? "1" : "0");
                })
                .start(f, log, "127.0.0.1", port);
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && p.alive()) {
                String out = Files.readString(log);
                int at = out.indexOf("tcp mode ");
                if (at >= 0) {
                    int end = out.indexOf(", 1 discovery source", at);
                    return out.substring(at, end < 0 ? out.indexOf('\n', at) : end);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no start-up line: " + Files.readString(log));
        } finally {
            p.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void servesMetricsAndStopsWithinTwoSecondsOfSigterm() throws Exception {
        int port = FreePorts.tcp();
        Path f = dir.resolve("agent.yaml");
        Files.writeString(
                f,
                """
                node: it-node
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp: {interval: 1s, timeout: 500ms}
                """.formatted(port)
                        + AgentYaml.staticDiscovery("db", "c1", List.of(AgentYaml.member("c1-pxc-0", "127.0.0.1"))));
        Path log = Files.createTempFile(logs, "agent-", ".log");
        AgentProcess p = BARE.start(f, log, "127.0.0.1", port);
        try {
            String gcommRefused =
                    "pxc_probe_tcp_probes_total{cluster=\"c1\",namespace=\"db\",pod=\"c1-pxc-0\",port=\"gcomm\",result=\"refused\",source_node=\"it-node\"";
            String metrics = p.awaitMetrics(m -> m.contains(gcommRefused), Duration.ofSeconds(20));
            assertTrue(metrics.contains(gcommRefused), "agent probes and serves metrics: " + Files.readString(log));
            // exported from 0, so the series proves nothing: the count must grow at the 1 s interval
            Map<String, String> refused = Map.of("port", "gcomm", "result", "refused");
            double first = PrometheusText.parse(metrics).sum("pxc_probe_tcp_probes_total", refused);
            Thread.sleep(2500);
            double later = PrometheusText.parse(p.awaitMetrics(m -> m.contains(gcommRefused), Duration.ofSeconds(5)))
                    .sum("pxc_probe_tcp_probes_total", refused);
            assertTrue(later - first >= 2, "refused checks of gcomm in 2.5 s at a 1 s interval: " + (later - first));
            assertTrue(metrics.contains("transport=\"epoll\""), "epoll in the shipped runtime");
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            OptionalInt exit = p.awaitExit(Duration.ofSeconds(2));
            assertTrue(exit.isPresent(), "exited within 2 s of SIGTERM");
            assertEquals(143, exit.getAsInt(), "128 + SIGTERM, as the README states");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            String out = Files.readString(log);
            assertTrue(out.contains("INFO  i.p.agent.Agent - stopped"), out);
            assertTrue(!out.contains("Exception"), "clean stop: " + out);
            System.out.println("SIGTERM to exit: " + tookMillis + " ms");
        } finally {
            p.stop(Duration.ZERO);
        }
    }
}
