package io.pxcprobe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.config.MetricsConfig.Histograms;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.metrics.AgentMetrics;
import io.pxcprobe.metrics.ProbeMetrics;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testkit.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scrape rendered slice by slice must read exactly like the whole registry rendered at once. */
class SlicedExpositionTest {
    /** More than two slices, and not a multiple of the slice size. */
    private static final int CHECKS = SlicedExposition.SERIES_PER_SLICE * 2 + 101;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ProbeMetrics metrics =
            new ProbeMetrics(registry, Labels.of("source_node", "node-a"), Checks.KINDS, Histograms.CLASSIC);
    private final ExpositionFormats formats = ExpositionFormats.init();

    SlicedExpositionTest() throws IOException {
        new AgentMetrics(
                registry,
                Labels.of("source_node", "node-a"),
                Map.of("version", "test"),
                Checks.KINDS.names(),
                List::of,
                () -> 0);
        List<TcpCheck> checks = new ArrayList<>();
        for (int i = 0; i < CHECKS; i++) {
            Member m = new Member(
                    "db",
                    "c1",
                    "c1-pxc-" + i,
                    InetAddress.getByAddress(new byte[] {10, 0, (byte) (i / 250), (byte) (i % 250)}),
                    "node-x",
                    true,
                    Map.of());
            checks.add(new TcpCheck(
                    m,
                    new PortSpec(
                            "gcomm",
                            4567,
                            PortSpec.Expect.LISTENING,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(1),
                            TcpMode.CONNECT)));
        }
        metrics.onPlan(new ProbePlan(TargetSnapshot.EMPTY, checks, List.of()));
        for (int i = 0; i < CHECKS; i++) {
            metrics.onResult(new TcpResult(
                    checks.get(i),
                    i % 7 == 0 ? TcpOutcome.TIMEOUT : TcpOutcome.OPEN,
                    1_000_000,
                    i,
                    0,
                    "",
                    System.currentTimeMillis()));
        }
    }

    @Test
    void prometheusTextHasOneHeaderPerFamilyAndEverySample() throws IOException {
        ExpositionFormatWriter text = formats.getPrometheusTextFormatWriter();
        String sliced = sliced(text);
        assertEquals(
                whole(text).lines().sorted().toList(),
                sliced.lines().sorted().toList(),
                "the same lines as one rendering of the whole registry");
        assertEquals(
                1,
                sliced.lines()
                        .filter(l -> l.equals("# TYPE pxc_probe_tcp_probes_total counter"))
                        .count());
        assertEquals(
                1,
                sliced.lines()
                        .filter(l -> l.startsWith("# HELP pxc_probe_tcp_connect_duration_seconds "))
                        .count());
        assertEquals(
                CHECKS * 6,
                PrometheusText.parse(sliced)
                        .find("pxc_probe_tcp_probes_total", Map.of())
                        .size());
        assertFamiliesContiguous(sliced);
        List<String> pods = PrometheusText.parse(sliced).find("pxc_probe_tcp_path_up", Map.of()).stream()
                .map(x -> x.labels().get("pod"))
                .toList();
        assertEquals(
                pods.stream().sorted().toList(),
                pods,
                "series in label order across slices, as one snapshot sorts them");
    }

    @Test
    void openMetricsEndsWithOneEofAndHasOneHeaderPerFamily() throws IOException {
        ExpositionFormatWriter om = formats.getOpenMetricsTextFormatWriter();
        String sliced = sliced(om);
        assertEquals(
                whole(om).lines().sorted().toList(), sliced.lines().sorted().toList());
        assertTrue(sliced.endsWith("# EOF\n"));
        assertEquals(1, sliced.lines().filter(l -> l.equals("# EOF")).count());
        assertEquals(
                1,
                sliced.lines()
                        .filter(l -> l.equals("# TYPE pxc_probe_tcp_connect_duration_seconds histogram"))
                        .count());
        assertEquals(
                1,
                sliced.lines()
                        .filter(l -> l.equals("# UNIT pxc_probe_tcp_connect_duration_seconds seconds"))
                        .count());
        assertFamiliesContiguous(sliced);
    }

    @Test
    void protobufHasOneMessagePerFamily() throws IOException {
        ExpositionFormatWriter pb = formats.getPrometheusProtobufWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SlicedExposition.write(registry, pb, out, metrics.families());
        byte[] sliced = out.toByteArray();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        pb.write(whole, registry.scrape());
        assertEquals(messages(whole.toByteArray()), messages(sliced));
        assertEquals(whole.size(), sliced.length);
    }

    private String sliced(ExpositionFormatWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SlicedExposition.write(registry, writer, out, metrics.families());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String whole(ExpositionFormatWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every sample of a family follows its TYPE line, before the next TYPE line: no family is split. */
    private static void assertFamiliesContiguous(String body) {
        List<String> order = new ArrayList<>();
        String current = null;
        for (String line : body.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                order.add(current);
            } else if (!line.startsWith("#")) {
                assertTrue(current != null && line.startsWith(current), line + " outside its family " + current);
            }
        }
        assertEquals(order.size(), order.stream().distinct().count(), "a family appears twice: " + order);
    }

    /** The number of length-delimited messages in a protobuf exposition. */
    private static int messages(byte[] b) {
        int n = 0;
        int i = 0;
        while (i < b.length) {
            long len = 0;
            int shift = 0;
            while ((b[i] & 0x80) != 0) {
                len |= (long) (b[i++] & 0x7f) << shift;
                shift += 7;
            }
            len |= (long) (b[i++] & 0x7f) << shift;
            i += (int) len;
            n++;
        }
        assertEquals(b.length, i);
        return n;
    }
}
