package io.pxcprobe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpMethod;
import io.pxcprobe.backup.BackupPaths;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.state.LatestResults;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testing.Snapshots;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /targets} written row by row: bounded writes at any size, aligned text, filters, JSON. */
class TargetsEndpointTest {
    private static final int WRITE_BOUND = 16 << 10;

    @Test
    void tensOfThousandsOfChecksAreWrittenInSmallPieces() throws Exception {
        LatestResults latest = latest(Snapshots.plan(Snapshots.members(20_000, 1), Integer.MAX_VALUE));
        assertEquals(60_000, latest.plan().tcpChecks().size());
        for (String format : List.of("text", "json")) {
            RecordingStream out = new RecordingStream();
            open(latest, Map.of("format", format)).writer().writeTo(out);
            assertTrue(out.total > (4 << 20), format + ": the whole table, " + out.total + " bytes");
            assertTrue(out.largest <= WRITE_BOUND, format + ": largest write " + out.largest + " bytes");
            assertTrue(out.writes > out.total / WRITE_BOUND, format + ": " + out.writes + " writes");
        }
    }

    @Test
    void textColumnsAreAlignedAndFiltersNarrowTheRows() throws Exception {
        LatestResults latest = latest(Snapshots.plan(Snapshots.members(3, 1), Integer.MAX_VALUE));
        TcpCheck first = latest.plan().tcpChecks().getFirst();
        latest.onResult(new TcpResult(first, TcpOutcome.OPEN, 1_234_000, -1, 0, "", System.currentTimeMillis()));

        List<String> lines = text(latest, Map.of()).lines().toList();
        int header = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("SOURCE  ")).findFirst().orElseThrow());
        List<String> table = lines.subList(header, header + 1 + 9);
        int[] columns = starts(table.getFirst());
        for (String row : table) {
            for (int c : columns) {
                assertEquals(' ', row.charAt(c - 1), "column at " + c + " in: " + row);
                assertFalse(row.charAt(c) == ' ', "column at " + c + " in: " + row);
            }
        }
        assertTrue(table.get(1).contains(" open ") && table.get(1).contains(" up "), table.get(1));
        assertEquals(
                8, table.stream().filter(r -> r.contains(" pending ")).count(), "the other checks have no result yet");

        String one = text(latest, Map.of("pod", "c1-pxc-1"));
        assertTrue(one.contains("(3 checks)") && one.contains("db/c1/c1-pxc-1") && !one.contains("c1-pxc-0"), one);
        assertTrue(text(latest, Map.of("cluster", "c9")).contains("(0 checks)"));
        assertThrows(Request.BadRequest.class, () -> open(latest, Map.of("node", "x")));
    }

    @Test
    void jsonIsTypedRecordsWithNullsForPendingChecks() throws Exception {
        LatestResults latest = latest(Snapshots.plan(Snapshots.members(3, 1), 5));
        TcpCheck first = latest.plan().tcpChecks().getFirst();
        latest.onResult(new TcpResult(first, TcpOutcome.TIMEOUT, -1, -1, 0, "no answer", System.currentTimeMillis()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        open(latest, Map.of("format", "json")).writer().writeTo(out);
        JsonNode root = JsonMapper.builder().build().readTree(out.toByteArray());
        assertEquals("node-a", root.get("sourceNode").asString());
        assertEquals(3 * 3 + 4 - 5, root.get("checksLeftOut").asInt(), "13 checks, 5 kept");
        assertEquals(3, root.get("tcp").size(), "one whole member");
        JsonNode timedOut = root.get("tcp").get(0);
        assertEquals("timeout", timedOut.get("outcome").asString());
        assertFalse(timedOut.get("pathUp").asBoolean());
        assertTrue(timedOut.get("latencySeconds").isNull());
        JsonNode pending = root.get("tcp").get(1);
        assertEquals("pending", pending.get("outcome").asString());
        assertTrue(pending.get("pathUp").isNull() && pending.get("ageSeconds").isNull(), pending.toString());
        assertEquals(2, root.get("dns").size());
    }

    @Test
    void theTextSaysWhenTheCheckLimitLeftChecksOut() throws Exception {
        String limited = text(latest(Snapshots.plan(Snapshots.members(3, 1), 5)), Map.of());
        assertTrue(
                limited.startsWith("# CHECK LIMIT REACHED: 8 checks are left out and not probed (limit 5;"), limited);
        String all = text(latest(Snapshots.plan(Snapshots.members(3, 1), 13)), Map.of());
        assertFalse(all.contains("CHECK LIMIT"), "the control, at the limit exactly: " + all);
        assertTrue(all.contains("(9 checks)"));
    }

    private static LatestResults latest(ProbePlan plan) {
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(plan);
        return latest;
    }

    private static StreamingEndpoint.Body open(LatestResults latest, Map<String, String> params)
            throws Request.BadRequest {
        Map<String, List<String>> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, List.of(v)));
        return new TargetsEndpoint(
                        latest, Checks.KINDS, "node-a", Runnable::run, () -> BackupPaths.of(latest.plan(), latest))
                .open(new Request(HttpMethod.GET, "/targets", p, "*/*"));
    }

    private static String text(LatestResults latest, Map<String, String> params) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        open(latest, params).writer().writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Where each column after the first starts in a header line (whose cells have no blanks). */
    private static int[] starts(String header) {
        return IntStream.range(1, header.length())
                .filter(i -> header.charAt(i) != ' ' && header.charAt(i - 1) == ' ')
                .toArray();
    }

    /** Counts what the endpoint hands to the channel, and the largest single piece. */
    private static final class RecordingStream extends OutputStream {
        long total;
        long writes;
        int largest;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            total += len;
            writes++;
            largest = Math.max(largest, len);
        }
    }
}
