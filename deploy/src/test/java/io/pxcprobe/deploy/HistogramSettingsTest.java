package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pxcprobe.testkit.AgentProcess;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.Distribution;
import io.pxcprobe.testkit.FreePorts;
import io.pxcprobe.testkit.HttpGet;
import io.pxcprobe.testkit.LoopbackListener;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics.histograms} end to end: three agents (classic, native, none) probe the same loopback
 * listener, a real Prometheus with native histograms enabled scrapes them (protobuf where it can),
 * and the shipped dashboards' latency queries and the shipped rules are evaluated against each.
 */
class HistogramSettingsTest {
    private static final String LATENCY = "pxc_probe_tcp_connect_duration_seconds";
    /** A float sample's value, or a native histogram sample's count. */
    private static final Pattern VALUE =
            Pattern.compile("\"(?:value\":\\[[0-9.]+,|histogram\":\\[[0-9.]+,\\{\"count\":)\"([^\"]+)\"");

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final List<String> SETTINGS = List.of("classic", "native", "none");

    private static final List<AgentProcess> agents = new ArrayList<>();
    private static LoopbackListener pod;
    private static Daemon prometheus;
    private static HttpGet api;

    @BeforeAll
    static void start() throws Exception {
        Distribution dist = Distribution.at(Path.of(System.getProperty("pxcprobe.dist", "probe/target/pxc-probe")));
        if (!dist.built()) {
            fail("no agent distribution at " + dist.home()
                    + ": build it first with `mvn -B package -pl probe -am -DskipTests`");
        }
        Path dir = Repository.scratch("histograms");
        pod = LoopbackListener.open("127.0.0.1", 0);
        List<String> targets = new ArrayList<>();
        for (String setting : SETTINGS) {
            int port = FreePorts.tcp();
            Path config = dir.resolve(setting + ".yaml");
            Files.writeString(
                    config,
                    """
                    node: hist-%s
                    http: {bind: 127.0.0.1, port: %d}
                    metrics: {histograms: %s}
                    probes:
                      tcp:
                        interval: 200ms
                        timeout: 150ms
                        ports:
                          gcomm: {port: %d, expect: listening}
                    """.formatted(setting, port, setting, pod.port())
                            + AgentYaml.staticDiscovery(
                                    "db", "c1", List.of(AgentYaml.member("c1-pxc-0", "127.0.0.1"))));
            agents.add(dist.start(config, dir.resolve(setting + ".log"), "127.0.0.1", port));
            targets.add("'127.0.0.1:" + port + "'");
        }
        int promPort = FreePorts.tcp();
        Files.writeString(
                dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                rule_files: ['%s']
                scrape_configs:
                  - job_name: pxc-probe
                    honor_labels: true
                    static_configs: [{targets: [%s]}]
                """.formatted(Repository.rulesFile(), String.join(", ", targets)));
        Files.createDirectories(dir.resolve("tsdb"));
        prometheus = Daemon.start(
                "prometheus",
                dir.resolve("prometheus.log"),
                List.of(
                        "prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + promPort,
                        "--enable-feature=native-histograms"));
        api = new HttpGet("http://127.0.0.1:" + promPort);
        Awaits.poll("Prometheus ready", WITHIN, () -> {
            if (!prometheus.alive()) {
                fail("Prometheus exited:\n" + prometheus.logTail(30));
            }
            try {
                return api.send("/-/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        // rate() needs two samples of each series in its window
        Awaits.poll("two samples of every agent's latency", WITHIN, () -> {
            if (!prometheus.alive()) {
                fail("Prometheus exited:\n" + prometheus.logTail(30));
            }
            return value("count_over_time(" + LATENCY + "_count{source_node=\"hist-classic\"}[1m]) >= 3"
                            + " and on() count_over_time(" + LATENCY + "{source_node=\"hist-native\"}[1m]) >= 3"
                            + " and on() count_over_time(pxc_probe_tcp_probes_total{source_node=\"hist-none\","
                            + "result=\"open\"}[1m]) >= 3")
                    .isPresent();
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        for (AgentProcess a : agents) {
            a.close();
        }
        if (pod != null) {
            pod.close();
        }
    }

    @Test
    void nativeIsOneSeriesPerPathWhereClassicIsOnePerBucketAndNoneIsNone() {
        double classic = count("{__name__=~\"" + LATENCY + ".*\",source_node=\"hist-classic\"}");
        assertTrue(classic >= 10, "classic: a series per bucket, +Inf, sum and count; got " + classic);
        assertEquals(1.0, count("{__name__=~\"" + LATENCY + ".*\",source_node=\"hist-native\"}"));
        assertEquals(0.0, count("{__name__=~\"" + LATENCY + ".*\",source_node=\"hist-none\"}"));
        // the none agent is scraped: its outcome counters are there, the same 6 as the others'
        assertEquals(6.0, count("pxc_probe_tcp_probes_total{source_node=\"hist-none\"}"));
        assertEquals(6.0, count("pxc_probe_tcp_probes_total{source_node=\"hist-native\"}"));
    }

    @Test
    void everyLatencyPanelAnswersForClassicAndNativeAndIsEmptyForNone() throws Exception {
        int panels = 0;
        for (var dashboard : DashboardsTest.dashboards().entrySet()) {
            for (Map<?, ?> panel : DashboardsTest.panels(dashboard.getValue())) {
                List<String> exprs = new ArrayList<>();
                if (panel.get("targets") instanceof List<?> targets) {
                    targets.forEach(t -> exprs.add((String) ((Map<?, ?>) t).get("expr")));
                }
                if (exprs.stream().noneMatch(e -> e.contains(LATENCY))) {
                    continue;
                }
                panels++;
                for (String setting : SETTINGS) {
                    // a panel answers when one of its queries does (the heatmap has one per histogram kind)
                    List<Double> values = new ArrayList<>();
                    for (String expr : exprs) {
                        values.addAll(values(
                                PromQL.substituteGrafanaVariables(expr.replace("$source_node", "hist-" + setting))));
                    }
                    String what = setting + ", panel " + panel.get("title") + ": " + exprs;
                    if (setting.equals("none")) {
                        assertEquals(List.of(), values, what);
                        continue;
                    }
                    assertFalse(values.isEmpty(), "no answer: " + what);
                    for (double v : values) {
                        assertTrue(Double.isFinite(v) && v >= 0, v + " from " + what);
                    }
                }
            }
        }
        assertTrue(panels >= 7, "only " + panels + " latency panels in the dashboards");
    }

    @Test
    void nativeAndClassicAgreeOnTheMedianWithinAClassicBucket() {
        String q = "histogram_quantile(0.5, sum by (le) (rate(%s_bucket{source_node=\"hist-classic\"}[1m])))";
        double classic = value(q.formatted(LATENCY)).orElseThrow();
        double nativeMedian = value(
                        "histogram_quantile(0.5, sum(rate(" + LATENCY + "{source_node=\"hist-native\"}[1m])))")
                .orElseThrow();
        double nativeMean = value("histogram_sum(sum(rate(" + LATENCY + "{source_node=\"hist-native\"}[1m])))"
                        + " / histogram_count(sum(rate(" + LATENCY + "{source_node=\"hist-native\"}[1m])))")
                .orElseThrow();
        // loopback handshakes: tens to hundreds of microseconds, and the classic bounds nearest are 2.5x apart
        assertTrue(nativeMedian > 1e-6 && nativeMedian < 0.01, "native median " + nativeMedian);
        assertTrue(
                nativeMedian / classic < 5 && classic / nativeMedian < 5,
                "native median " + nativeMedian + " against classic " + classic);
        assertTrue(nativeMean > 1e-6 && nativeMean < 0.05, "native mean " + nativeMean);
    }

    @Test
    void theShippedRulesEvaluateWithoutErrorOverEverySetting() {
        Awaits.poll("every rule group evaluated", WITHIN, () -> {
            String rules = api.ok("/api/v1/rules");
            return rules.contains("\"lastEvaluation\":\"0001-01-01") ? false : rules.contains("\"health\":\"ok\"");
        });
        String rules = api.ok("/api/v1/rules");
        assertFalse(rules.contains("\"health\":\"err\""), rules);
        assertTrue(rules.contains("\"type\":\"alerting\""), "no alert rule loaded: " + rules);
    }

    private static double count(String selector) {
        return value("count(" + selector + ")").orElse(0.0);
    }

    private static Optional<Double> value(String query) {
        List<Double> v = values(query);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    private static List<Double> values(String query) {
        String body = api.ok("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (!body.contains("\"status\":\"success\"")) {
            throw new AssertionError(query + ": " + body);
        }
        List<Double> out = new ArrayList<>();
        Matcher m = VALUE.matcher(body);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }
}
