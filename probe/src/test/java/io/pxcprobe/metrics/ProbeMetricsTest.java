package io.pxcprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.config.MetricsConfig.Histograms;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.dns.DnsKind;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testkit.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProbeMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ProbeMetrics metrics =
            new ProbeMetrics(registry, Labels.of("source_node", "node-a"), Checks.KINDS, Histograms.CLASSIC);
    private final TcpCheck gcomm0 = tcp("c1-pxc-0", "10.0.0.10", "gcomm", 4567, PortSpec.Expect.LISTENING);
    private final TcpCheck ist0 = tcp("c1-pxc-0", "10.0.0.10", "ist", 4568, PortSpec.Expect.REACHABLE);
    private final TcpCheck gcomm1 = tcp("c1-pxc-1", "10.0.0.11", "gcomm", 4567, PortSpec.Expect.LISTENING);

    @Test
    void everyOutcomeIsExportedFromZeroAndCountsWhatWasRecorded() throws IOException {
        plan(gcomm0, gcomm1);
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 300));
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 2_000));
        metrics.onResult(result(gcomm0, TcpOutcome.TIMEOUT, -1));

        PrometheusText text = scrape();
        Map<String, String> pod0 = Map.of(
                "source_node",
                "node-a",
                "pod",
                "c1-pxc-0",
                "port",
                "gcomm",
                "namespace",
                "db",
                "cluster",
                "c1",
                "target_node",
                "node-x");
        assertEquals(
                2.0,
                text.value("pxc_probe_tcp_probes_total", with(pod0, "result", "open"))
                        .orElseThrow());
        assertEquals(
                1.0,
                text.value("pxc_probe_tcp_probes_total", with(pod0, "result", "timeout"))
                        .orElseThrow());
        for (TcpOutcome o : List.of(TcpOutcome.REFUSED, TcpOutcome.UNREACHABLE, TcpOutcome.RESET, TcpOutcome.ERROR)) {
            assertEquals(
                    0.0,
                    text.value("pxc_probe_tcp_probes_total", with(pod0, "result", o.label()))
                            .orElseThrow(),
                    o.label());
        }
        assertEquals(
                6,
                text.find("pxc_probe_tcp_probes_total", Map.of("pod", "c1-pxc-1"))
                        .size(),
                "a check without results still exports a zero per outcome");
        assertEquals(0.0, text.value("pxc_probe_tcp_path_up", pod0).orElseThrow(), "the last result was a timeout");
        assertEquals(
                0.0,
                text.value("pxc_probe_tcp_path_up", Map.of("pod", "c1-pxc-1")).orElseThrow());
    }

    @Test
    void latencyBucketsAreCumulativeAndOnlyAnsweredChecksAreObserved() throws IOException {
        plan(gcomm0);
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 300)); // 0.3 ms: first bucket at or above is 0.5 ms
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 2_000)); // 2 ms: bucket 2.5 ms
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 1_000)); // exactly on the 1 ms bound: le="0.001"
        metrics.onResult(result(gcomm0, TcpOutcome.TIMEOUT, -1)); // no latency

        PrometheusText text = scrape();
        String h = "pxc_probe_tcp_connect_duration_seconds";
        assertEquals(0.0, text.value(h + "_bucket", Map.of("le", "2.5E-4")).orElseThrow());
        assertEquals(1.0, text.value(h + "_bucket", Map.of("le", "5.0E-4")).orElseThrow());
        assertEquals(2.0, text.value(h + "_bucket", Map.of("le", "0.001")).orElseThrow());
        assertEquals(3.0, text.value(h + "_bucket", Map.of("le", "0.0025")).orElseThrow());
        assertEquals(3.0, text.value(h + "_bucket", Map.of("le", "+Inf")).orElseThrow());
        assertEquals(3.0, text.value(h + "_count", Map.of()).orElseThrow());
        assertEquals(0.0033, text.value(h + "_sum", Map.of()).orElseThrow(), 1e-12);
        assertEquals(0.0, text.value("pxc_probe_tcp_path_up", Map.of()).orElseThrow(), "the last result timed out");
    }

    @Test
    void aCheckKeepsItsCountsAcrossPlansAndARemovedCheckDisappears() throws IOException {
        plan(gcomm0, ist0);
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 500));
        metrics.onResult(result(ist0, TcpOutcome.REFUSED, 500));

        plan(gcomm0, gcomm1);
        metrics.onResult(result(ist0, TcpOutcome.REFUSED, 500)); // a late result for a removed check: dropped
        PrometheusText text = scrape();
        assertEquals(
                1.0,
                text.value("pxc_probe_tcp_probes_total", Map.of("pod", "c1-pxc-0", "port", "gcomm", "result", "open"))
                        .orElseThrow());
        assertTrue(
                text.find("pxc_probe_tcp_probes_total", Map.of("port", "ist")).isEmpty());
        assertTrue(text.find("pxc_probe_tcp_connect_duration_seconds_count", Map.of("port", "ist"))
                .isEmpty());
        assertTrue(text.find("pxc_probe_tcp_path_up", Map.of("port", "ist")).isEmpty());
        assertEquals(
                1, text.find("pxc_probe_tcp_path_up", Map.of("pod", "c1-pxc-1")).size());

        plan();
        assertTrue(scrape().find("pxc_probe_tcp_path_up", Map.of()).isEmpty());
    }

    @Test
    void dnsSeriesCarryResolverAndRecordTypeAndAServiceNameHasNoPod() throws IOException {
        DnsCheck pod = Checks.dns(
                "10.96.0.10:53", "c1-pxc-0.c1-pxc.db.svc", RecordType.A, DnsExpectation.any(), Duration.ofSeconds(1));
        DnsCheck service = new DnsCheck(
                new DnsTarget("db", "c1", "", NameKind.SERVICE, "c1-pxc.db.svc", RecordType.A, DnsExpectation.any()),
                pod.resolver(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1));
        metrics.onPlan(new ProbePlan(TargetSnapshot.EMPTY, List.of(), List.of(pod, service)));
        metrics.onResult(
                new DnsResult(pod, DnsOutcome.NXDOMAIN, 4_000_000, List.of(), "NXDOMAIN", System.currentTimeMillis()));
        metrics.onResult(
                new DnsResult(service, DnsOutcome.OK, 1_000_000, List.of("10.0.0.10"), "", System.currentTimeMillis()));

        PrometheusText text = scrape();
        assertEquals(
                1.0,
                text.value(
                                "pxc_probe_dns_lookups_total",
                                Map.of(
                                        "pod",
                                        "c1-pxc-0",
                                        "rrtype",
                                        "A",
                                        "resolver",
                                        "10.96.0.10:53",
                                        "result",
                                        "nxdomain"))
                        .orElseThrow());
        assertEquals(
                0.0, text.value("pxc_probe_dns_up", Map.of("pod", "c1-pxc-0")).orElseThrow());
        assertEquals(
                1.0,
                text.value("pxc_probe_dns_up", Map.of("pod", DnsKind.NO_POD, "name_kind", "service"))
                        .orElseThrow());
        assertEquals(
                1.0,
                text.value("pxc_probe_dns_lookup_duration_seconds_bucket", Map.of("pod", DnsKind.NO_POD, "le", "0.001"))
                        .orElseThrow());
    }

    @Test
    void scrapesDuringRecordingSeeWholeResults() throws Exception {
        plan(gcomm0);
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 2_000));
                    }
                }));
            }
            int scrapes = 0;
            while ((scrapes == 0 || writers.stream().anyMatch(f -> !f.isDone())) && scrapes < 500) {
                PrometheusText text = scrape();
                // every observation is 2 ms: a sum that lags or leads its buckets shows a torn read
                double count = text.value("pxc_probe_tcp_connect_duration_seconds_count", Map.of())
                        .orElseThrow();
                assertEquals(
                        count * 0.002,
                        text.value("pxc_probe_tcp_connect_duration_seconds_sum", Map.of())
                                .orElseThrow(),
                        1e-6);
                scrapes++;
            }
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        PrometheusText text = scrape();
        assertEquals(
                threads * perThread,
                text.value("pxc_probe_tcp_probes_total", Map.of("result", "open"))
                        .orElseThrow());
        assertEquals(
                threads * perThread,
                text.value("pxc_probe_tcp_connect_duration_seconds_count", Map.of())
                        .orElseThrow());
    }

    @Test
    void openMetricsRendersTheFamiliesWithTypeAndUnit() throws IOException {
        plan(gcomm0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getOpenMetricsTextFormatWriter().write(out, registry.scrape());
        String body = out.toString(StandardCharsets.UTF_8);
        assertTrue(body.contains("# TYPE pxc_probe_tcp_probes counter"), body);
        assertTrue(body.contains("# UNIT pxc_probe_tcp_connect_duration_seconds seconds"), body);
        assertEquals(
                6,
                body.lines()
                        .filter(l -> l.startsWith("pxc_probe_tcp_probes_total{"))
                        .count(),
                body);
        assertTrue(body.endsWith("# EOF\n"));
    }

    @Test
    void nativeHistogramsAreOneSeriesInProtobufAndCountAndSumInText() throws IOException {
        PrometheusRegistry own = new PrometheusRegistry();
        ProbeMetrics nativeMetrics =
                new ProbeMetrics(own, Labels.of("source_node", "node-a"), Checks.KINDS, Histograms.NATIVE);
        nativeMetrics.onPlan(new ProbePlan(TargetSnapshot.EMPTY, List.of(gcomm0), List.of()));
        nativeMetrics.onResult(result(gcomm0, TcpOutcome.OPEN, 300));
        nativeMetrics.onResult(result(gcomm0, TcpOutcome.OPEN, 2_000));

        String proto = ExpositionFormats.init().getPrometheusProtobufWriter().toDebugString(own.scrape());
        String family = proto.substring(proto.indexOf("name: \"pxc_probe_tcp_connect_duration_seconds\""));
        assertTrue(family.contains("schema: 3"), proto);
        assertTrue(family.contains("sample_count: 2"), proto);
        assertTrue(!family.substring(0, family.indexOf("}\n}")).contains("upper_bound"), "no classic bucket: " + proto);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, own.scrape());
        PrometheusText text = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
        String h = "pxc_probe_tcp_connect_duration_seconds";
        assertEquals(2.0, text.value(h + "_count", Map.of()).orElseThrow());
        assertEquals(0.0023, text.value(h + "_sum", Map.of()).orElseThrow(), 1e-12);
        assertTrue(text.value(h + "_bucket", Map.of("le", "0.001")).isEmpty(), "no classic bounds in text");
    }

    @Test
    void noneExportsNoLatencySeriesButEveryOutcome() throws IOException {
        PrometheusRegistry own = new PrometheusRegistry();
        ProbeMetrics none = new ProbeMetrics(own, Labels.of("source_node", "node-a"), Checks.KINDS, Histograms.NONE);
        none.onPlan(new ProbePlan(TargetSnapshot.EMPTY, List.of(gcomm0), List.of()));
        none.onResult(result(gcomm0, TcpOutcome.OPEN, 300));
        plan(gcomm0); // the classic registry beside it: the positive control
        metrics.onResult(result(gcomm0, TcpOutcome.OPEN, 300));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, own.scrape());
        String body = out.toString(StandardCharsets.UTF_8);
        assertTrue(!body.contains("pxc_probe_tcp_connect_duration_seconds"), body);
        assertTrue(!body.contains("pxc_probe_dns_lookup_duration_seconds"), body);
        assertEquals(
                1.0,
                PrometheusText.parse(body)
                        .value("pxc_probe_tcp_probes_total", Map.of("result", "open"))
                        .orElseThrow());
        assertEquals(
                1.0,
                scrape().value("pxc_probe_tcp_connect_duration_seconds_count", Map.of())
                        .orElseThrow());
        assertEquals(4, none.families().size(), "outcomes and up of TCP and DNS");
        assertEquals(6, metrics.families().size());
    }

    private void plan(TcpCheck... checks) {
        metrics.onPlan(new ProbePlan(TargetSnapshot.EMPTY, List.of(checks), List.of()));
    }

    private PrometheusText scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static TcpResult result(TcpCheck check, TcpOutcome outcome, long rttMicros) {
        return new TcpResult(
                check, outcome, rttMicros > 0 ? rttMicros * 1000 : -1, rttMicros, 0, "", System.currentTimeMillis());
    }

    private static TcpCheck tcp(String pod, String address, String port, int number, PortSpec.Expect expect) {
        try {
            Member m = new Member("db", "c1", pod, InetAddress.getByName(address), "node-x", true, Map.of());
            PortSpec spec =
                    new PortSpec(port, number, expect, Duration.ofSeconds(5), Duration.ofSeconds(1), TcpMode.CONNECT);
            return new TcpCheck(m, spec);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
