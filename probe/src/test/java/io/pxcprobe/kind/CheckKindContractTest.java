package io.pxcprobe.kind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.PortSpec;
import io.pxcprobe.plan.Check;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.testing.Checks;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every consumer relies on from a kind's descriptor, checked for each registered kind and each of its outcomes. */
class CheckKindContractTest {
    private static final long NOW = 1_000_000L;

    @Test
    void everyOutcomeOfEveryKindFitsItsSeriesTableAndLog() {
        var tcp = Checks.tcp("10.0.0.5", 4567, PortSpec.Expect.LISTENING, Duration.ofSeconds(1));
        var dns = Checks.dns(
                "10.96.0.10:53",
                "c1-pxc-0.c1-pxc.db.svc.cluster.local",
                RecordType.A,
                DnsExpectation.any(),
                Duration.ofSeconds(1));
        int checked = 0;
        for (TcpOutcome o : TcpOutcome.values()) {
            checked += contract(
                    new TcpResult(tcp, o, 1_000, -1, o == TcpOutcome.OPEN ? 0 : 110, "ETIMEDOUT", NOW - 5_000));
        }
        for (DnsOutcome o : DnsOutcome.values()) {
            checked += contract(new DnsResult(dns, o, 2_000_000, List.of("10.0.0.5"), "rcode", NOW - 5_000));
        }
        assertEquals(
                TcpOutcome.values().length + DnsOutcome.values().length,
                checked,
                "every outcome went through the contract");
    }

    @Test
    void kindsAreFoundByTheirChecksAndAKindIsRegisteredOnce() {
        var tcp = Checks.tcp("10.0.0.5", 4567, PortSpec.Expect.LISTENING, Duration.ofSeconds(1));
        assertEquals("tcp", Checks.KINDS.of(tcp).name());
        assertEquals(List.of("tcp", "dns"), Checks.KINDS.names());
        var again = Checks.KINDS.all().get(0);
        assertThrows(IllegalArgumentException.class, () -> new Kinds(List.of(again, again)));
        assertThrows(
                IllegalStateException.class,
                () -> new Kinds(List.of()).of(tcp),
                "an unregistered kind is a bug, said as such");
    }

    private static int contract(Result r) {
        return check(Checks.KINDS.of(r), r);
    }

    private static <C extends Check, R extends Result> int check(CheckKind<C, R> kind, Result result) {
        R r = kind.resultType().cast(result);
        C c = kind.checkType().cast(r.check());
        SeriesSpec s = kind.series();
        assertEquals(s.labelNames().size(), kind.labelValues(c).length, kind.name() + ": a value per label name");
        Set<String> names = new HashSet<>(s.labelNames());
        assertEquals(s.labelNames().size(), names.size(), "label names are unique");
        assertFalse(
                names.contains("result") || names.contains("source_node") || names.contains("le"),
                "no clash with the labels the families add");
        for (String v : kind.labelValues(c)) {
            assertFalse(v.isEmpty(), kind.name() + ": an empty label reads as absent in Prometheus");
        }
        int outcome = kind.outcome(r);
        assertTrue(outcome >= 0 && outcome < s.outcomes().size(), "the outcome indexes the outcome labels");
        assertEquals(s.outcomes().get(outcome), kind.outcomeLabel(r));
        assertEquals(
                kind.columns().size(),
                kind.cells(c, null, NOW).length,
                kind.name() + ": a pending row fills every column");
        assertEquals(kind.columns().size(), kind.cells(c, r, NOW).length, kind.name() + ": a row fills every column");
        assertEquals("pending", kind.cells(c, null, NOW)[kind.columns().indexOf("OUTCOME")]);
        assertEquals(kind.outcomeLabel(r), kind.cells(c, r, NOW)[kind.columns().indexOf("OUTCOME")]);
        assertTrue(kind.row(c, null, NOW).getClass().isRecord(), "the JSON row is a record: its fields are the schema");
        assertTrue(kind.reportRow(r).getClass().isRecord());
        assertTrue(kind.reportLine(r).startsWith(kind.name() + "  "), kind.reportLine(r));
        assertTrue(kind.reportLine(r).contains(kind.outcomeLabel(r)), kind.reportLine(r));
        assertFalse(kind.subject(c).isEmpty());
        // in this data every bad outcome carries an errno or an rcode, and a good one none
        assertEquals(
                kind.healthy(r),
                kind.problem(r).isEmpty(),
                kind.name() + " " + kind.outcomeLabel(r) + ": the log says why it is bad");
        assertNotNull(kind.scope(c));
        ResultSlot<C, R> slot = kind.newSlot();
        assertEquals(null, slot.get(c), "an empty slot is pending");
        slot.set(r);
        assertEquals(r, slot.get(c), "a slot gives back what it was given");
        return 1;
    }
}
