package io.pxcprobe.plan;

import java.time.Duration;

/**
 * The probe budget: every agent probes every pod and port, so {@code agents} agents at interval
 * {@code i} send agents / i probes a second into each. Each agent stretches its own interval to at
 * least agents / budget, which bounds the fan-in at {@code budget} a second whatever the node
 * count; every node still checks every path (the backup verdict needs each node's own evidence),
 * only less often.
 */
public final class FanIn {
    private FanIn() {}

    /**
     * The interval in force: {@code configured}, or agents / budget where that is longer, rounded up
     * to the millisecond.
     *
     * @param budget probes a second into one pod and port from all agents; 0 for no budget
     */
    public static Duration interval(Duration configured, int agents, int budget) {
        if (budget <= 0 || agents <= 1) {
            return configured;
        }
        long millis = Math.ceilDiv(1000L * agents, budget);
        return millis > configured.toMillis() ? Duration.ofMillis(millis) : configured;
    }
}
