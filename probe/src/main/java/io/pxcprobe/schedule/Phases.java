package io.pxcprobe.schedule;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Where in its interval a check runs. The base phase comes from a hash of the key (the agent's name
 * and the check's), so checks spread evenly over the interval, the agents probing one pod spread
 * over it too, and a check keeps its slot across restarts; a random jitter on top keeps agents
 * whose hashes fall close together from firing in step.
 */
public final class Phases {
    private Phases() {}

    public static long offsetNanos(String key, long intervalNanos, double jitterFraction) {
        long h = mix(key.hashCode());
        long base = Math.floorMod(h, intervalNanos);
        long jitterRange = (long) (intervalNanos * jitterFraction);
        long jitter = jitterRange > 0 ? ThreadLocalRandom.current().nextLong(jitterRange) : 0;
        return (base + jitter) % intervalNanos;
    }

    /** A 64-bit finaliser (from SplitMix64): String.hashCode alone clusters similar keys. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
