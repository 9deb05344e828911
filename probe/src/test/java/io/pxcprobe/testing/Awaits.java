package io.pxcprobe.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;

/** Bounded waiting for a condition that another thread brings about. */
public final class Awaits {

    private Awaits() {
    }

    /** Returns how long it took. */
    public static Duration until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(10);
        }
        return Assertions.fail("not " + what + " within " + within);
    }
}
