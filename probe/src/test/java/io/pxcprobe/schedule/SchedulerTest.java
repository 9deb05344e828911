package io.pxcprobe.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.target.Member;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final MultiThreadIoEventLoopGroup group = Transport.best().newGroup(1, "sched-test");
    private final Map<String, AtomicInteger> skips = new ConcurrentHashMap<>();
    private final SchedulerObserver observer = new SchedulerObserver() {
        @Override
        public void started(String kind, long latenessNanos) {}

        @Override
        public void skipped(String kind, SkipReason reason) {
            skips.computeIfAbsent(reason.label(), k -> new AtomicInteger()).incrementAndGet();
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }

    private static TcpCheck check(String pod, long intervalMillis) {
        Member m = new Member("db", "c1", pod, InetAddress.getLoopbackAddress(), "", true, Map.of());
        return new TcpCheck(
                m,
                new PortSpec(
                        "gcomm",
                        4567,
                        PortSpec.Expect.LISTENING,
                        Duration.ofMillis(intervalMillis),
                        Duration.ofMillis(intervalMillis),
                        TcpMode.CONNECT));
    }

    private Scheduler scheduler(Function<Check, CompletableFuture<?>> runner, int maxInFlight) {
        return new Scheduler(group.next(), runner, maxInFlight, 0.1, observer);
    }

    @Test
    void eachCheckRunsOncePerIntervalSpreadOverTheInterval() throws Exception {
        Map<String, List<Long>> runs = new ConcurrentHashMap<>();
        Scheduler s = scheduler(
                c -> {
                    runs.computeIfAbsent(c.key(), k -> new CopyOnWriteArrayList<>())
                            .add(System.nanoTime());
                    return CompletableFuture.completedFuture(null);
                },
                100);
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            checks.add(check("p" + i, 200));
        }
        long t0 = System.nanoTime();
        s.apply(checks).get();
        Thread.sleep(1100);
        s.close();
        assertEquals(20, runs.size(), "every check ran");
        for (var e : runs.entrySet()) {
            int n = e.getValue().size();
            assertTrue(n >= 4 && n <= 6, e.getKey() + " ran " + n + " times in 1.1 s at 200 ms");
            for (int i = 1; i < n; i++) {
                long gap = (e.getValue().get(i) - e.getValue().get(i - 1)) / 1_000_000;
                assertTrue(gap >= 150 && gap <= 250, "gap " + gap + " ms");
            }
        }
        long distinctFirstSlots = runs.values().stream()
                .map(l -> (l.get(0) - t0) / 20_000_000)
                .distinct()
                .count();
        assertTrue(distinctFirstSlots >= 5, "phases spread, not all in one slot: " + distinctFirstSlots);
    }

    @Test
    void anIntervalChangeKeepsToTheNewSlotWithNoEarlyRunWhileANewCheckRunsAtOnce() throws Exception {
        long tenSeconds = Duration.ofSeconds(10).toNanos();
        // a check whose slot in a 10 s interval lies 3 s or more ahead, whatever the jitter adds
        String pod = IntStream.range(0, 1000)
                .mapToObj(i -> "p" + i)
                .filter(p -> Phases.offsetNanos(check(p, 10_000).key(), tenSeconds, 0) >= 3_000_000_000L
                        && Phases.offsetNanos(check(p, 10_000).key(), tenSeconds, 0) < 8_000_000_000L)
                .findFirst()
                .orElseThrow();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Scheduler s = scheduler(
                c -> {
                    runs.computeIfAbsent(c.key(), k -> new AtomicInteger()).incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                100);
        s.apply(List.of(check(pod, 100))).get();
        Thread.sleep(500);
        int before = runs.get(check(pod, 100).key()).get();
        assertTrue(before >= 3, "positive control: it runs every 100 ms, " + before + " runs");
        s.apply(List.of(check(pod, 10_000), check("fresh", 10_000))).get();
        int atChange = runs.get(check(pod, 100).key()).get();
        Thread.sleep(1500);
        s.close();
        assertEquals(atChange, runs.get(check(pod, 100).key()).get(), "no early run after the interval grew");
        assertEquals(1, runs.get(check("fresh", 10_000).key()).get(), "a new check still runs at once");
    }

    /** 100 checks at 200 ms: a run every 2 ms on average, closer than the wake-up slack. */
    private static List<TcpCheck> crowd() {
        return IntStream.range(0, 100).mapToObj(i -> check("crowd-" + i, 200)).toList();
    }

    @Test
    void runsDueWithinTheSlackStartTogetherAndEachStillRunsOncePerInterval() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Scheduler s = new Scheduler(
                group.next(),
                c -> {
                    starts.add(System.nanoTime());
                    runs.computeIfAbsent(c.key(), k -> new AtomicInteger()).incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                1000,
                0.0,
                observer);
        s.apply(crowd()).get();
        Thread.sleep(300); // past the first-run window
        starts.clear();
        runs.clear();
        Thread.sleep(1000);
        s.close();

        for (var e : runs.entrySet()) {
            int n = e.getValue().get();
            assertTrue(n >= 4 && n <= 6, e.getKey() + " ran " + n + " times in 1 s at 200 ms");
        }
        assertEquals(100, runs.size(), "every check ran");
        // runs started within 0.5 ms of each other came from one wake-up
        List<Long> sorted = starts.stream().sorted().toList();
        int wakeups = 1;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i) - sorted.get(i - 1) > 500_000) {
                wakeups++;
            }
        }
        assertTrue(
                wakeups <= sorted.size() * 6 / 10,
                wakeups + " wake-ups for " + sorted.size() + " runs: one wake-up should start several");
        assertTrue(wakeups <= 1000 / 4 + 20, wakeups + " wake-ups in 1 s: at most one per 4 ms slack");
    }

    @Test
    void aCheckNeverOverlapsItself() throws Exception {
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Void> never = new CompletableFuture<>();
        Scheduler s = scheduler(
                c -> {
                    started.incrementAndGet();
                    return never;
                },
                100);
        s.apply(List.of(check("slow", 100))).get();
        Thread.sleep(550);
        assertEquals(1, started.get());
        assertTrue(skips.get("overlap").get() >= 3, "overlaps counted: " + skips);
        assertEquals(1, s.inFlight());
        never.complete(null);
        Thread.sleep(250);
        assertTrue(started.get() >= 2, "runs again once the slow one ended");
        s.close();
    }

    @Test
    void inFlightIsBoundedAndExcessRunsAreSkippedNotQueued() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Scheduler s = scheduler(
                c -> {
                    started.incrementAndGet();
                    return new CompletableFuture<>();
                },
                3);
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            checks.add(check("p" + i, 100));
        }
        s.apply(checks).get();
        Thread.sleep(350);
        assertEquals(3, started.get());
        assertEquals(3, s.inFlight());
        assertTrue(skips.get("concurrency").get() >= 7, "skips " + skips);
        s.close();
    }

    @Test
    void aRunThatThrowsAnErrorNeitherStopsTheOtherChecksNorRepeatsAtOnce() throws Exception {
        Map<String, AtomicInteger> count = new ConcurrentHashMap<>();
        TcpCheck bad = check("bad", 100);
        TcpCheck good = check("good", 100);
        Scheduler s = scheduler(
                c -> {
                    count.computeIfAbsent(c.key(), k -> new AtomicInteger()).incrementAndGet();
                    if (c.equals(bad)) {
                        throw new LinkageError("a prober class that failed to load");
                    }
                    return CompletableFuture.completedFuture(null);
                },
                100);
        s.apply(List.of(bad, good)).get();
        Thread.sleep(1050);
        s.close();
        int badRuns = count.get(bad.key()).get();
        int goodRuns = count.get(good.key()).get();
        assertTrue(goodRuns >= 9 && goodRuns <= 12, "the healthy check ran " + goodRuns + " times in 1 s at 100 ms");
        assertTrue(badRuns >= 9 && badRuns <= 12, "the throwing check keeps its interval, no hot loop: " + badRuns);
        assertTrue(skips.isEmpty(), "an error does not leave the check marked running: " + skips);
    }

    @Test
    void aNewIntervalTakesEffectForAKeptCheck() throws Exception {
        List<Long> runs = new CopyOnWriteArrayList<>();
        Scheduler s = scheduler(
                c -> {
                    runs.add(System.nanoTime());
                    return CompletableFuture.completedFuture(null);
                },
                100);
        s.apply(List.of(check("p", 400))).get();
        Thread.sleep(900);
        int slow = runs.size();
        s.apply(List.of(check("p", 50))).get();
        long changed = System.nanoTime();
        Thread.sleep(600);
        assertEquals(1, s.jobCount());
        s.close();
        long fast = runs.stream().filter(t -> t > changed).count();
        assertTrue(slow >= 2 && slow <= 4, "400 ms: " + slow + " runs in 0.9 s");
        assertTrue(fast >= 9 && fast <= 13, "50 ms: " + fast + " runs in 0.6 s");
    }

    @Test
    void removedChecksStopAndKeptChecksKeepRunning() throws Exception {
        Map<String, AtomicInteger> count = new ConcurrentHashMap<>();
        Scheduler s = scheduler(
                c -> {
                    count.computeIfAbsent(c.key(), k -> new AtomicInteger()).incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                100);
        TcpCheck a = check("a", 100);
        TcpCheck b = check("b", 100);
        s.apply(List.of(a, b)).get();
        Thread.sleep(350);
        s.apply(List.of(a)).get();
        int bAtRemoval = count.get(b.key()).get();
        int aBefore = count.get(a.key()).get();
        Thread.sleep(350);
        assertEquals(bAtRemoval, count.get(b.key()).get(), "a removed check never runs again");
        assertTrue(count.get(a.key()).get() >= aBefore + 3, "a kept check keeps running");
        assertEquals(1, s.jobCount());
        s.close();
    }

    @Test
    void livenessFollowsTheLoopAndItsTimerNotRecentWork() throws Exception {
        long second = TimeUnit.SECONDS.toNanos(1);
        AtomicInteger runs = new AtomicInteger();
        Scheduler s = scheduler(
                c -> {
                    runs.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                10);
        // intervals of minutes: after the first runs nothing starts for a long time, and that is healthy
        s.apply(List.of(check("a", 180_000), check("b", 180_000))).get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 3 * second;
        while (runs.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, runs.get(), "both checks ran once");
        for (int i = 0; i < 12; i++) {
            Thread.sleep(250);
            assertNull(s.stalled(2 * second), "poll " + i + ", 3 s without a start");
        }
        assertEquals(2, runs.get(), "nothing else started, so a 'recent work' rule would have failed here");
        // positive control: the same measurement sees a loop that cannot run its tasks
        CountDownLatch release = new CountDownLatch(1);
        group.next().execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(3_300);
        String stalled = s.stalled(2 * second);
        release.countDown();
        assertNotNull(stalled, "a blocked loop is a liveness failure");
        assertTrue(stalled.contains("heartbeat"), stalled);
        Thread.sleep(1_500);
        assertNull(s.stalled(2 * second), "alive again once the loop runs");
        s.close();
    }
}
