package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 7: the reported gcomm handshake latency follows an added delay within 5 % or 1 ms. */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class LatencyIT {
    private static final Duration DELAY = Duration.ofMillis(40);
    private static final int SAMPLES = 4;

    @Test
    void handshakeLatencyFollowsTheAddedDelay(Testbed tb, Scenario s, Figures figures) {
        GaleraNode g = tb.galera().get(0);
        String series = "{pod=\"" + g.pod() + "\",port=\"gcomm\"}";
        double base = meanOver(s, series);
        double withDelay;
        try (Fault f = tb.delay(g, DELAY)) {
            // Let the checks that started before the delay drop out of the window.
            long start = count(s, series);
            Awaits.poll(
                    "a delayed check",
                    Scenario.DETECT,
                    () -> count(s, series) >= start + 2 * tb.agents().size());
            withDelay = meanOver(s, series);
        }
        double added = withDelay - base;
        double want = DELAY.toNanos() / 1e9;
        double tolerance = Math.max(0.05 * want, 0.001);
        figures.note(String.format(
                Locale.ROOT,
                "Scenario 7: %d ms added by the NFQUEUE delayer; gcomm handshake mean %.3f ms before, "
                        + "%.3f ms during (added %.3f ms; allowed %.3f ms off).",
                DELAY.toMillis(),
                base * 1e3,
                withDelay * 1e3,
                added * 1e3,
                tolerance * 1e3));
        assertTrue(
                Math.abs(added - want) <= tolerance,
                String.format(
                        Locale.ROOT,
                        "reported latency rose by %.3f ms for %d ms added",
                        added * 1e3,
                        DELAY.toMillis()));
    }

    /** Mean handshake time over the next {@link #SAMPLES} checks per agent, from the histogram's sum and count in Prometheus. */
    private static double meanOver(Scenario s, String series) {
        double sum0 = sum(s, series);
        long count0 = count(s, series);
        long want = count0 + (long) SAMPLES * s.tb().agents().size();
        Awaits.poll(SAMPLES + " more checks per agent", Scenario.DETECT, () -> count(s, series) >= want);
        return (sum(s, series) - sum0) / (count(s, series) - count0);
    }

    private static double sum(Scenario s, String series) {
        return Scenario.single(s.prom().query("sum(pxc_probe_tcp_connect_duration_seconds_sum" + series + ")"))
                .orElseThrow();
    }

    private static long count(Scenario s, String series) {
        return Scenario.single(s.prom().query("sum(pxc_probe_tcp_connect_duration_seconds_count" + series + ")"))
                .map(Double::longValue)
                .orElseThrow();
    }
}
