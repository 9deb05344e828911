package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.GarbdJoins;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Probing leaves the database untouched: at the default rate and at ten times it, for a few
 * minutes, no new error-log line, no aborted connection, the cluster Primary with 3 members
 * throughout, and garbd joining as fast as without probing.
 */
@ExtendWith(TestbedExtension.class)
class DoNoHarmIT {
    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("pxcprobe.e2e.harmSeconds", 120));
    private static final int GARBD_RUNS = 3;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(15);

    @Test
    void probingLeavesGaleraUntouched(Testbed tb, Scenario s, Figures figures) {
        tb.agents().forEach(Agent::stop);
        List<Duration> unprobed = GarbdJoins.measure(tb, GARBD_RUNS);
        figures.harm("none", "-", "-", "-", "3, Primary", GarbdJoins.text(unprobed));

        for (int factor : new int[] {1, 10}) {
            Agent.Rate rate = Agent.Rate.DEFAULT.times(factor);
            s.ensureAgents(rate);
            awaitQuietErrorLogs(tb);
            Map<String, Integer> lines = new HashMap<>();
            Map<String, Long> aborted = new HashMap<>();
            tb.galera().forEach(g -> {
                lines.put(g.pod(), g.errorLogLines().size());
                aborted.put(g.pod(), connectionErrors(g));
            });
            long checks0 = tcpChecks(s);
            Instant end = Instant.now().plus(WINDOW);
            while (Instant.now().isBefore(end)) {
                for (GaleraNode g : tb.galera()) {
                    Map<String, String> st = g.status("wsrep_cluster_%");
                    assertEquals("3", st.get("wsrep_cluster_size"), g.pod() + " cluster size while probing");
                    assertEquals("Primary", st.get("wsrep_cluster_status"), g.pod() + " Primary while probing");
                }
                Awaits.pause(CHECK_EVERY);
            }
            long checks = tcpChecks(s) - checks0;
            List<String> newLines = new ArrayList<>();
            Map<String, Integer> afterWindow = new HashMap<>();
            long newErrors = 0;
            for (GaleraNode g : tb.galera()) {
                List<String> all = g.errorLogLines();
                afterWindow.put(g.pod(), all.size());
                all.subList(lines.get(g.pod()), all.size()).forEach(l -> newLines.add(g.pod() + ": " + l));
                newErrors += connectionErrors(g) - aborted.get(g.pod());
            }
            List<Duration> probed = GarbdJoins.measure(tb, GARBD_RUNS);
            // the control: garbd's joins and departures are logged, so the log read is the one Galera writes
            Awaits.poll(
                    "the garbd joins logged",
                    Duration.ofSeconds(30),
                    () -> tb.galera().stream().anyMatch(g -> g.errorLogLines().size() > afterWindow.get(g.pod())));
            figures.harm(
                    (factor == 1 ? "default" : factor + "x default") + " (tcp every "
                            + rate.tcpInterval().toMillis() + " ms, " + checks + " TCP checks)",
                    WINDOW.toSeconds() + " s",
                    Integer.toString(newLines.size()),
                    Long.toString(newErrors),
                    "3, Primary throughout",
                    GarbdJoins.text(probed));
            assertTrue(checks > 0, "the agents were probing");
            assertEquals(List.of(), newLines, "error-log lines written while probing at " + factor + "x");
            assertEquals(0, newErrors, "aborted connections / connection errors while probing at " + factor + "x");
            GarbdJoins.assertUnharmed(probed, unprobed, "with probing at " + factor + "x");
        }
    }

    /**
     * Galera logs a departed garbd's cleanup some seconds after it left: wait until no error log
     * grows for a while, so that the window counts only what happens during probing.
     */
    private static void awaitQuietErrorLogs(Testbed tb) {
        Map<String, Integer> last = new HashMap<>();
        Instant[] stableSince = {Instant.now()};
        Awaits.poll("Galera error logs quiet for " + QUIET.toSeconds() + " s", Duration.ofSeconds(90), () -> {
            Map<String, Integer> now = new HashMap<>();
            tb.galera().forEach(g -> now.put(g.pod(), g.errorLogLines().size()));
            if (!now.equals(last)) {
                last.clear();
                last.putAll(now);
                stableSince[0] = Instant.now();
            }
            return Duration.between(stableSince[0], Instant.now()).compareTo(QUIET) >= 0;
        });
    }

    private static long tcpChecks(Scenario s) {
        return Scenario.single(s.prom().query("sum(pxc_probe_tcp_probes_total)"))
                .map(Double::longValue)
                .orElse(0L);
    }

    /** Unauthenticated or failed client connections: what host-cache blocking counts. */
    private static long connectionErrors(GaleraNode g) {
        long n = 0;
        for (var e : g.status("%").entrySet()) {
            if (e.getKey().equals("aborted_connects") || e.getKey().startsWith("connection_errors_")) {
                n += Long.parseLong(e.getValue());
            }
        }
        return n;
    }
}
