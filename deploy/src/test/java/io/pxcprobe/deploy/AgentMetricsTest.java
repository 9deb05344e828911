package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pxcprobe.testkit.AgentProcess;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Distribution;
import io.pxcprobe.testkit.Dnsmasq;
import io.pxcprobe.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
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

    @AutoClose
    private static Dnsmasq dns;

    @AutoClose
    private static AgentProcess agent;

    private static Set<String> exported;

    /** The agent's whole /metrics, for the label names of each family. */
    private static String exposition;

    @BeforeAll
    static void runTheAgent() throws Exception {
        Distribution dist = Distribution.at(Path.of(System.getProperty("pxcprobe.dist", "probe/target/pxc-probe")));
        if (!dist.built()) {
            fail("no agent distribution at " + dist.home()
                    + ": build it first with `mvn -B package -pl probe -am -DskipTests`");
        }
        Path dir = Repository.scratch("agent");
        int httpPort = FreePorts.tcp();
        String memberAddress = "127.0.0." + ThreadLocalRandom.current().nextInt(20, 250);
        String podName = "c1-pxc-0.c1-pxc.db.svc.cluster.local";
        dns = Dnsmasq.start(dir.resolve("dns"), List.of(memberAddress + " " + podName), List.of());
        Files.writeString(
                dir.resolve("agent.yaml"),
                """
                node: metrics-test-node
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp: {interval: 500ms, timeout: 300ms}
                  dns: {interval: 500ms, timeout: 300ms, resolvers: ["%s"]}
                """.formatted(httpPort, dns.address())
                        + AgentYaml.staticDiscovery(
                                "db",
                                "c1",
                                List.of("{pod: c1-pxc-0, address: " + memberAddress + ", dnsName: " + podName
                                        + ", node: target-node}"))
                        // the backup series exist only for clusters that schedule backups
                        + "        backupSchedules: [{name: daily, schedule: \"0 0 * * *\", storage: s3}]\n");
        agent = dist.start(dir.resolve("agent.yaml"), dir.resolve("agent.log"), "127.0.0.1", httpPort);
        exported = scrapeUntilComplete();
    }

    /** Sample names of /metrics once TCP and DNS results, answered ones included, are in. */
    private static Set<String> scrapeUntilComplete() throws IOException {
        String body = agent.awaitMetrics(
                b -> {
                    if (!dns.alive()) {
                        fail("dnsmasq ended early; agent log:\n" + agent.logTail(200));
                    }
                    return b.contains("pxc_probe_dns_lookup_duration_seconds_count")
                            && b.contains("pxc_probe_tcp_connect_duration_seconds_count")
                            && b.contains("pxc_probe_dns_up")
                            && b.contains("pxc_probe_schedule_lateness_seconds_count");
                },
                STARTUP_LIMIT);
        exposition = body;
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE_NAME.matcher(body);
        while (m.find()) {
            names.add(PromQL.family(m.group(1)));
        }
        assertTrue(
                names.contains("pxc_probe_dns_lookup_duration_seconds"),
                "no answered DNS lookup within " + STARTUP_LIMIT + "; /metrics:\n" + body + "\nagent log:\n"
                        + Files.readString(agent.log()));
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
        assertTrue(
                Files.readString(Repository.root().resolve("docs/metrics.md"))
                        .contains("| `pxc_probe_cluster_state` |"),
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
        assertTrue(
                exported.containsAll(Set.of(
                        "pxc_probe_tcp_path_up",
                        "pxc_probe_tcp_probes_total",
                        "pxc_probe_dns_up",
                        "pxc_probe_dns_lookups_total",
                        "pxc_probe_build_info",
                        "pxc_probe_discovery_up")),
                exported.toString());
    }

    /**
     * The rules-at-scale benchmark (deploy/bench/rules-at-scale) measures the rules on series its
     * generator writes: they must stay the agent's families with the agent's label names, or the
     * figures in docs/rules-at-scale.md describe rules evaluated on series that match nothing.
     */
    @Test
    void theRulesAtScaleGeneratorWritesTheAgentsFamiliesWithTheirLabels() throws Exception {
        Path dir = Repository.scratch("rules-at-scale");
        Path out = dir.resolve("series.om");
        long now = System.currentTimeMillis() / 1000;
        Process gen = new ProcessBuilder(
                        "python3",
                        Repository.root()
                                .resolve("deploy/bench/rules-at-scale/gen.py")
                                .toString(),
                        "--agents",
                        "3",
                        "--pods",
                        "6",
                        "--start",
                        Long.toString(now - 120),
                        "--end",
                        Long.toString(now),
                        "--out",
                        out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gen.log").toFile())
                .start();
        if (!gen.waitFor(60, TimeUnit.SECONDS)) {
            gen.destroyForcibly();
            fail("gen.py did not end in 60 s");
        }
        assertEquals(0, gen.exitValue(), Files.readString(dir.resolve("gen.log")));

        var generated = labelNamesByFamily(Files.readString(out));
        var agents = labelNamesByFamily(exposition);
        Set<String> allowed = allowed();
        Set<String> unknown = new TreeSet<>(generated.keySet());
        unknown.removeIf(f -> allowed.contains(f) || f.equals("up"));
        assertEquals(Set.of(), unknown, "families the generator writes that the agent does not export");

        // positive control: the families the rules are built on are compared, not skipped
        assertTrue(
                generated
                                .keySet()
                                .containsAll(Set.of(
                                        "pxc_probe_tcp_path_up", "pxc_probe_dns_up", "pxc_probe_dns_lookups_total"))
                        && agents.keySet().containsAll(Set.of("pxc_probe_tcp_path_up", "pxc_probe_dns_up")),
                "generated " + generated.keySet() + ", agent " + agents.keySet());
        List<String> lacking = new ArrayList<>();
        for (var e : generated.entrySet()) {
            Set<String> agentLabels = agents.get(e.getKey());
            if (agentLabels != null && !e.getValue().containsAll(agentLabels)) {
                Set<String> missing = new TreeSet<>(agentLabels);
                missing.removeAll(e.getValue());
                lacking.add(e.getKey() + " lacks " + missing);
            }
        }
        assertEquals(List.of(), lacking, "labels the agent puts on a family that the generator leaves out");

        // and promtool takes the output, as run.sh has it do at full scale
        Promtool.succeed(
                dir,
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                out.toString(),
                dir.resolve("blocks").toString());
    }

    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern LABEL_NAME = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    /** Family -> every label name its series carry (OpenMetrics or Prometheus text). */
    private static Map<String, Set<String>> labelNamesByFamily(String text) {
        Map<String, Set<String>> out = new TreeMap<>();
        Matcher m = SERIES.matcher(text);
        while (m.find()) {
            Set<String> names = out.computeIfAbsent(PromQL.family(m.group(1)), k -> new TreeSet<>());
            Matcher l = LABEL_NAME.matcher(m.group(2));
            while (l.find()) {
                names.add(l.group(1));
            }
        }
        return out;
    }
}
