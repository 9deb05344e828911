package io.pxcprobe.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.LogConfig;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.testing.Checks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The state-change log: one line per change (never per probe), as text or as one JSON object per line. */
class LoggingTest {

    private static List<String> logged(LogConfig.Format format, Runnable work) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Logging.configure(new LogConfig(format, LogConfig.Level.INFO));
            work.run();
        } finally {
            System.setOut(original);
            Logging.configure(new LogConfig(LogConfig.Format.TEXT, LogConfig.Level.INFO));
        }
        return captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("gcomm c1-pxc-0"))
                .toList();
    }

    private static void probeSequence(StateChangeLog log) {
        var check = Checks.tcp("10.0.0.1", 4567, PortSpec.Expect.LISTENING, Duration.ofSeconds(2));
        for (TcpOutcome o : List.of(
                TcpOutcome.OPEN,
                TcpOutcome.OPEN,
                TcpOutcome.OPEN,
                TcpOutcome.TIMEOUT,
                TcpOutcome.TIMEOUT,
                TcpOutcome.OPEN)) {
            log.onResult(new TcpResult(
                    check,
                    o,
                    o == TcpOutcome.OPEN ? 1000 : -1,
                    -1,
                    0,
                    o == TcpOutcome.OPEN ? "" : "no answer before the deadline",
                    System.currentTimeMillis()));
        }
    }

    @Test
    void textLinesOnlyOnChange() {
        List<String> lines =
                logged(LogConfig.Format.TEXT, () -> probeSequence(new StateChangeLog("node-a", Checks.KINDS)));
        assertEquals(2, lines.size(), "six probes, two changes: " + lines);
        assertTrue(
                lines.get(0).contains("INFO")
                        && lines.get(0).endsWith("gcomm c1-pxc-0 (db/c1 10.0.0.1:4567) from node-a: open -> timeout"),
                lines.get(0));
        assertTrue(lines.get(1).endsWith("from node-a: timeout -> open"), lines.get(1));
    }

    @Test
    void jsonIsOneObjectPerLine() {
        List<String> lines =
                logged(LogConfig.Format.JSON, () -> probeSequence(new StateChangeLog("node-a", Checks.KINDS)));
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = JsonMapper.builder().build().readTree(lines.get(0));
        assertEquals("INFO", first.get("level").asString());
        assertEquals("pxc_probe.state", first.get("loggerName").asString());
        assertEquals(
                "gcomm c1-pxc-0 (db/c1 10.0.0.1:4567) from node-a: open -> timeout",
                first.get("formattedMessage").asString());
    }
}
