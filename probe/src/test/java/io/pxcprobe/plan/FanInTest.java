package io.pxcprobe.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe budget: the interval in force is agents / budget where that is longer than the configured one. */
class FanInTest {
    private static final Duration FIVE = Duration.ofSeconds(5);

    @Test
    void stretchesOnlyPastTheBudget() {
        assertEquals(FIVE, FanIn.interval(FIVE, 1, 20), "alone: the configured interval");
        assertEquals(FIVE, FanIn.interval(FIVE, 100, 20), "100 agents / 5 s = 20 a second: within the budget");
        assertEquals(Duration.ofMillis(5050), FanIn.interval(FIVE, 101, 20), "one agent more: stretched");
        assertEquals(Duration.ofSeconds(50), FanIn.interval(FIVE, 1000, 20));
        assertEquals(Duration.ofSeconds(60), FanIn.interval(Duration.ofSeconds(60), 1000, 20), "longer already");
        assertEquals(FIVE, FanIn.interval(FIVE, 1000, 0), "budget 0: none");
        assertEquals(Duration.ofMillis(334), FanIn.interval(Duration.ofMillis(100), 1000, 3000), "rounded up");
        for (int agents : new int[] {1, 7, 99, 101, 333, 1000, 5000}) {
            double perSecond = agents / (FanIn.interval(FIVE, agents, 20).toMillis() / 1000.0);
            assertTrue(perSecond <= 20.0 + 1e-9, agents + " agents send " + perSecond + " a second");
        }
    }
}
