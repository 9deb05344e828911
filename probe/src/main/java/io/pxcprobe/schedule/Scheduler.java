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
                long interval = c.interval().toNanos();
                job.due = now + Phases.offsetNanos(c.key(), interval, jitterFraction);
                job.arm();
            } else if (!job.check.interval().equals(c.interval())) {
                job.check = c;
                job.timer.cancel(false);
                job.due = now + Phases.offsetNanos(c.key(), c.interval().toNanos(), jitterFraction);
                job.arm();
            } else {
                job.check = c;
            }
        }
        jobs.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
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
        long due;
        ScheduledFuture<?> timer;
        final AtomicBoolean running = new AtomicBoolean();

        Job(Check check) {
            this.check = check;
        }

        void arm() {
            timer = loop.schedule(this, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            if (closed || jobs.get(check.key()) != this) {
                return;
            }
            long now = System.nanoTime();
            start(now);
            long interval = check.interval().toNanos();
            due += interval;
            if (due <= now) {
                // fell a whole interval behind (a long pause): skip the missed slots, keep the phase
                due += ((now - due) / interval + 1) * interval;
            }
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
