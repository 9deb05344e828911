package io.pxcprobe.schedule;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pxcprobe.plan.Check;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs every check on its own interval, at a fixed phase within it. All bookkeeping happens on one
 * event loop, so jobs need no locks; probes complete anywhere. A check never overlaps itself and at
 * most {@code maxInFlight} probes are outstanding: a run that cannot start is skipped and counted,
 * never queued.
 */
public final class Scheduler implements AutoCloseable {
    private static final long FIRST_RUN_WINDOW_NANOS = 250_000_000L;
    private final EventLoop loop;
    private final Function<Check, CompletableFuture<?>> runner;
    private final int maxInFlight;
    private final double jitterFraction;
    private final SchedulerObserver observer;
    private final Map<String, Job> jobs = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastStartNanos = System.nanoTime();
    private volatile int jobCount;
    private volatile boolean closed;

    public Scheduler(EventLoop loop, Function<Check, CompletableFuture<?>> runner, int maxInFlight,
                     double jitterFraction, SchedulerObserver observer) {
        this.loop = loop;
        this.runner = runner;
        this.maxInFlight = maxInFlight;
        this.jitterFraction = jitterFraction;
        this.observer = observer;
    }

    /** Replaces the set of checks; checks whose key is kept keep their slot. Returns when applied. */
    public CompletableFuture<Void> apply(List<? extends Check> checks) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        loop.execute(() -> {
            applyOnLoop(checks);
            applied.complete(null);
        });
        return applied;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int jobCount() {
        return jobCount;
    }

    /** Nanos since the scheduler last started a probe; liveness checks read it. */
    public long nanosSinceLastStart() {
        return System.nanoTime() - lastStartNanos;
    }

    private void applyOnLoop(List<? extends Check> checks) {
        if (closed) {
            return;
        }
        Set<String> keep = new HashSet<>();
        long now = System.nanoTime();
        for (Check c : checks) {
            keep.add(c.key());
            Job job = jobs.get(c.key());
            if (job == null) {
                job = new Job(c);
                jobs.put(c.key(), job);
                job.place(now);
            } else if (!job.check.interval().equals(c.interval())) {
                job.check = c;
                job.timer.cancel(false);
                job.place(now);
            } else {
                job.check = c;
            }
        }
        jobs.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
            e.getValue().removed = true;
            e.getValue().timer.cancel(false);
            return true;
        });
        jobCount = jobs.size();
    }

    @Override
    public void close() {
        closed = true;
        if (!loop.isShuttingDown()) {
            loop.execute(() -> {
                jobs.values().forEach(j -> j.timer.cancel(false));
                jobs.clear();
                jobCount = 0;
            });
        }
    }

    private final class Job implements Runnable {
        Check check;
        /** When this run is due. */
        long due;
        /** The check's steady slot: a fixed phase within its interval. */
        long slot;
        ScheduledFuture<?> timer;
        boolean removed;
        final AtomicBoolean running = new AtomicBoolean();

        Job(Check check) {
            this.check = check;
        }

        /**
         * A new check runs within its first 250 ms (a fresh agent has answers at once), then
         * moves to its steady slot, spread over the interval.
         */
        void place(long now) {
            long interval = check.interval().toNanos();
            long phase = Phases.offsetNanos(check.key(), interval, jitterFraction);
            slot = now + phase;
            due = now + phase % Math.min(interval, FIRST_RUN_WINDOW_NANOS);
            arm();
        }

        void arm() {
            timer = loop.schedule(this, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            if (closed || removed) {
                return;
            }
            long now = System.nanoTime();
            start(now);
            long interval = check.interval().toNanos();
            if (slot <= now) {
                // the slot just served, or slots missed in a long pause: skip ahead, keep the phase
                slot += ((now - slot) / interval + 1) * interval;
            }
            due = slot;
            arm();
        }

        private void start(long now) {
            String kind = check.kind();
            if (!running.compareAndSet(false, true)) {
                observer.skipped(kind, SchedulerObserver.SkipReason.OVERLAP);
                return;
            }
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                running.set(false);
                observer.skipped(kind, SchedulerObserver.SkipReason.CONCURRENCY);
                return;
            }
            observer.started(kind, now - due);
            lastStartNanos = now;
            CompletableFuture<?> f;
            try {
                f = runner.apply(check);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((r, err) -> {
                inFlight.decrementAndGet();
                running.set(false);
            });
        }
    }
}
