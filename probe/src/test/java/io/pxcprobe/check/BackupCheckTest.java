package io.pxcprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import io.pxcprobe.state.LatestResults;
import io.pxcprobe.testing.Checks;
import io.pxcprobe.testing.Snapshots;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When {@code check} stops waiting: once every line it prints has a result, not only the requirements. */
class BackupCheckTest {

    @Test
    void waitsForTheInformingChecksTooBecauseTheReportPrintsThem() throws Exception {
        ProbePlan plan = Snapshots.plan(Snapshots.members(2, 2), Integer.MAX_VALUE);
        LatestResults latest = new LatestResults(Checks.KINDS);
        latest.onPlan(plan);
        assertEquals(-1, BackupCheck.pending(latest, "db", "nope"), "a cluster the plan does not know");
        long now = System.currentTimeMillis();
        for (DnsCheck c : plan.dnsChecks()) {
            latest.onResult(new DnsResult(c, DnsOutcome.OK, 1000, List.of(), "", now));
        }
        List<TcpCheck> gcomm = plan.tcpChecks().stream()
                .filter(c -> c.port().name().equals("gcomm"))
                .toList();
        List<TcpCheck> others = plan.tcpChecks().stream()
                .filter(c ->
                        !c.port().name().equals("gcomm") && c.member().cluster().equals("c1"))
                .toList();
        assertEquals(4, others.size(), "IST and SST of c1's two members");
        gcomm.forEach(c -> latest.onResult(new TcpResult(c, TcpOutcome.OPEN, 1000, 100, 0, "", now)));
        assertEquals(
                others.size(),
                BackupCheck.pending(latest, "db", "c1"),
                "every requirement has its result, IST and SST do not yet: the report would print them pending");
        others.forEach(c -> latest.onResult(new TcpResult(c, TcpOutcome.REFUSED, 1000, -1, 111, "", now)));
        assertEquals(0, BackupCheck.pending(latest, "db", "c1"));
    }
}
