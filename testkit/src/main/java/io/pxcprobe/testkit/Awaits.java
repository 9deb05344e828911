package io.pxcprobe.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * Bounded waiting for what another thread or process brings about; nothing in the tests waits
 * otherwise. {@link #until} polls often and lets a failing observation fail the test;
 * {@link #poll} is for services asked over the network, which may not answer yet: it polls less
 * often and takes a failing observation for "not yet", reporting the last one if time runs out.
 */
public final class Awaits {
    private static final Duration OFTEN = Duration.ofMillis(10);
    private static final Duration NETWORK_POLL = Duration.ofMillis(200);

    private Awaits() {}

    /** Polls every 10 ms; returns how long it took. */
    public static Duration until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        return until(what, within, OFTEN, condition);
    }

    /** Polls every {@code every}; returns how long it took. */
    public static Duration until(String what, Duration within, Duration every, BooleanSupplier condition)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(every);
        }
        return Assertions.fail("not " + what + " within " + within);
    }

    /** Polls {@code probe} until it yields a value, and returns it. */
    public static <T> T poll(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing observed";
        while (true) {
            try {
                Optional<T> v = probe.get();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what + " (" + last + ")");
            }
            pause(NETWORK_POLL);
        }
    }

    public static void poll(String what, Duration timeout, BooleanSupplier condition) {
        poll(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** A short pause inside a poll loop; never a way to wait for an outcome. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
