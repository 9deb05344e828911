package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.e2e.Figures;
import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.TestbedExtension;
import io.pxcprobe.e2e.testbed.Fault;
import io.pxcprobe.e2e.testbed.GaleraNode;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.e2e.testbed.Wait;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 7: the reported gcomm handshake latency follows an added delay within 5 % or 1 ms. */
@ExtendWith(TestbedExtension.class)
class LatencyIT {
    private static final Duration DELAY = Duration.ofMillis(40);
    private static final int SAMPLES = 4;

    private final Testbed tb;
    private final Scenario s;
    private final Figures figures;

    LatencyIT(Testbed tb, Figures figures) {
        this.tb = tb;
        this.s = new Scenario(tb);
        this.figures = figures;
    }

    @Test
    void handshakeLatencyFollowsTheAddedDelay() {
        s.healthy();
        GaleraNode g = tb.galera().get(0);
        String series = "{pod=\"" + g.pod() + "\",port=\"gcomm\"}";
        double base = meanOver(series);
        double withDelay;
        try (Fault f = tb.delay(g, DELAY)) {
            // Let the checks that started before the delay drop out of the window.
            long start = count(series);
            Wait.until("a delayed check", Scenario.DETECT, () -> count(series) >= start + 2 * tb.agents().size());
            withDelay = meanOver(series);
        }
        double added = withDelay - base;
        double want = DELAY.toNanos() / 1e9;
        double tolerance = Math.max(0.05 * want, 0.001);
        figures.note(String.format(Locale.ROOT, "Scenario 7: %d ms added by the NFQUEUE delayer; gcomm handshake mean %.3f ms before, "
                + "%.3f ms during (added %.3f ms; allowed %.3f ms off).", DELAY.toMillis(), base * 1e3, withDelay * 1e3, added * 1e3,
                tolerance * 1e3));
        assertTrue(Math.abs(added - want) <= tolerance, String.format(Locale.ROOT,
                "reported latency rose by %.3f ms for %d ms added", added * 1e3, DELAY.toMillis()));
    }

    /** Mean handshake time over the next {@link #SAMPLES} checks per agent, from the histogram's sum and count in Prometheus. */
    private double meanOver(String series) {
        double sum0 = sum(series);
        long count0 = count(series);
        long want = count0 + (long) SAMPLES * tb.agents().size();
        Wait.until(SAMPLES + " more checks per agent", Scenario.DETECT, () -> count(series) >= want);
        return (sum(series) - sum0) / (count(series) - count0);
    }

    private double sum(String series) {
        return Scenario.single(s.prom().query("sum(pxc_probe_tcp_connect_duration_seconds_sum" + series + ")")).orElseThrow();
    }

    private long count(String series) {
        return Scenario.single(s.prom().query("sum(pxc_probe_tcp_connect_duration_seconds_count" + series + ")"))
                .map(Double::longValue).orElseThrow();
    }
}
