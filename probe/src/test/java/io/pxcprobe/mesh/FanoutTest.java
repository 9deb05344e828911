package io.pxcprobe.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.mesh.PeerReply.Failure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FanoutTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static List<InetSocketAddress> agents(int n) throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 9797));
        }
        return out;
    }

    /** Each fetch answers its address's last byte after {@code delayMillis}, counting how many run at once. */
    private Fanout<String> fanout(long delayMillis, int maxConcurrent, Duration perAgent, AtomicInteger peak) {
        AtomicInteger running = new AtomicInteger();
        return new Fanout<>(
                (a, deadline) -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    CompletableFuture<String> f = new CompletableFuture<>();
                    long wait = Math.min(delayMillis, deadline.toMillis());
                    String value = delayMillis > deadline.toMillis() ? "timeout" : "ok";
                    timer.schedule(
                            () -> {
                                running.decrementAndGet();
                                f.complete(value);
                            },
                            wait,
                            TimeUnit.MILLISECONDS);
                    return f;
                },
                (a, why) -> why.failure().label(),
                maxConcurrent,
                perAgent);
    }

    @Test
    void asksEveryAgentInOrderAtMostMaxConcurrentAtOnce() throws Exception {
        AtomicInteger peak = new AtomicInteger();
        List<String> out =
                fanout(20, 4, Duration.ofSeconds(2), peak).ask(agents(40)).get(5, TimeUnit.SECONDS);
        assertEquals(40, out.size());
        assertTrue(out.stream().allMatch("ok"::equals), out.toString());
        assertEquals(4, peak.get(), "the bound is reached and never passed");
    }

    @Test
    void slowAgentsEndTheFanoutWithinTwiceTheDeadlineAndTheRestAreNotAsked() throws Exception {
        AtomicInteger peak = new AtomicInteger();
        long start = System.nanoTime();
        List<String> out =
                fanout(10_000, 2, Duration.ofMillis(300), peak).ask(agents(20)).get(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 0.7, "took " + seconds + " s");
        assertEquals(2, out.stream().filter("timeout"::equals).count(), out.toString());
        assertEquals(18, out.stream().filter(Failure.NOT_ASKED.label()::equals).count(), out.toString());
    }

    @Test
    void aFetchThatThrowsIsAnErrorOfThatAgentOnly() throws Exception {
        Fanout<String> f = new Fanout<>(
                (a, d) -> {
                    if (a.getAddress().getAddress()[3] == 1) {
                        throw new IllegalStateException("boom");
                    }
                    return CompletableFuture.completedFuture("ok");
                },
                (a, why) -> why.failure().label(),
                3,
                Duration.ofSeconds(1));
        assertEquals(List.of("ok", "error", "ok"), f.ask(agents(3)).get(2, TimeUnit.SECONDS));
        assertEquals(List.of(), f.ask(List.of()).get(1, TimeUnit.SECONDS));
    }
}
