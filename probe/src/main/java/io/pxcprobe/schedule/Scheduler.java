package io.pxcprobe.schedule;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pxcprobe.plan.Check;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
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
 *
 * <p>Jobs wait in one queue ordered by due time, and one timer on the loop is armed for the
 * earliest. A timer per job and run would leave one scheduled task per check alive for a whole
 * interval: at 10,000 checks a second that is a steady stream of objects old enough to be
 * promoted, which fills the old generation and forces full collections.
 */
public final class Scheduler implements AutoCloseable {
    private static final long FIRST_RUN_WINDOW_NANOS = 250_000_000L;
    /** Runs started per wake-up before the loop gets to its other work (probe completions, I/O). */
    private static final int MAX_RUNS_PER_WAKEUP = 256;
    /**
     * A wake-up also starts the runs due within this much after it, a little early: checks spread
     * evenly over their interval would otherwise wake the loop once per run (1,000 times a second at
     * 1,000 checks), and each wake-up is a sleep and a context switch (docs/benchmarks.md, "CPU").
     */
    static final long WAKEUP_SLACK_NANOS = 4_000_000L;
    /** How often the loop records that it is alive and how late its next job is. */
    private static final long HEARTBEAT_MILLIS = 1_000;

    private final EventLoop loop;
    private final Function<Check, CompletableFuture<?>> runner;
    private final int maxInFlight;
    private final double jitterFraction;
    private final SchedulerObserver observer;
    /** Mixed into each check's phase: agents share check keys, and must not share slots. */
    private final String phaseSalt;

    private final Map<String, Job> jobs = new HashMap<>();
    private PriorityQueue<Job> queue = new PriorityQueue<>(Comparator.comparingLong((Job j) -> j.due));
    private ScheduledFuture<?> wakeup;
    private long wakeupDue = Long.MAX_VALUE;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScheduledFuture<?> heartbeat;
    private volatile long lastBeatNanos = System.nanoTime();
    private volatile long overdueNanos;
    private volatile int jobCount;
    private volatile boolean closed;

    public Scheduler(
            EventLoop loop,
            Function<Check, CompletableFuture<?>> runner,
            int maxInFlight,
            double jitterFraction,
            SchedulerObserver observer) {
        this(loop, runner, maxInFlight, jitterFraction, observer, "");
    }

    /**
     * @param phaseSalt this agent's own name: every agent probes the same pods under the same check
     *     keys, so a phase from the key alone would put every agent's probe of a pod into the same
     *     jitter window; with the agent's name the phases of a thousand agents spread over the interval
     */
    public Scheduler(
            EventLoop loop,
            Function<Check, CompletableFuture<?>> runner,
            int maxInFlight,
            double jitterFraction,
            SchedulerObserver observer,
            String phaseSalt) {
        this.phaseSalt = phaseSalt;
        this.loop = loop;
        this.runner = runner;
        this.maxInFlight = maxInFlight;
        this.jitterFraction = jitterFraction;
        this.observer = observer;
        this.heartbeat =
                loop.scheduleAtFixedRate(this::beat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
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

    /**
     * What is wrong with the scheduler itself, or null: its loop has not run the heartbeat for
     * {@code maxNanos}, or its earliest job is overdue by more than {@code maxNanos} (the timer
     * stopped firing). Liveness means "the loop and its timer work", never "a probe ran
     * recently": with intervals of minutes, a healthy agent may start nothing for a long time.
     */
    public String stalled(long maxNanos) {
        long silent = System.nanoTime() - lastBeatNanos;
        if (silent > maxNanos) {
            return "scheduler loop ran no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms";
        }
        long overdue = overdueNanos;
        if (overdue > maxNanos) {
            return "scheduler timer late: the next check is overdue by " + TimeUnit.NANOSECONDS.toMillis(overdue)
                    + " ms";
        }
        return null;
    }

    private void beat() {
        long now = System.nanoTime();
        Job head = queue.peek();
        overdueNanos = head == null ? 0 : Math.max(0, now - head.due);
        lastBeatNanos = now;
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
                job.reslot(now);
            } else {
                job.check = c;
            }
        }
        jobs.keySet().retainAll(keep);
        jobCount = jobs.size();
        // rebuilt rather than edited: removing from a heap is linear per job, and plans change rarely
        PriorityQueue<Job> next = new PriorityQueue<>(Math.max(1, jobs.size()), queue.comparator());
        next.addAll(jobs.values());
        queue = next;
        arm();
    }

    /** Runs the jobs that are due, then arms the timer for the next one. */
    private void wake() {
        wakeup = null;
        wakeupDue = Long.MAX_VALUE;
        if (closed) {
            return;
        }
        try {
            for (int n = 0; n < MAX_RUNS_PER_WAKEUP; n++) {
                long now = System.nanoTime();
                Job job = queue.peek();
                if (job == null || job.due > now + WAKEUP_SLACK_NANOS) {
                    break;
                }
                if (job.due > now && job.running.get()) {
                    // never early while its last run is still going (a timeout may equal the
                    // interval): the timer is armed for its due time instead
                    break;
                }
                queue.poll();
                try {
                    // a run started early serves its slot as if on time
                    job.run(Math.max(now, job.due));
                } finally {
                    // whatever a run throws, the job keeps its place and the timer its next wake-up
                    queue.add(job);
                }
            }
        } finally {
            arm();
        }
    }

    private void arm() {
        Job next = queue.peek();
        if (next == null || closed) {
            return;
        }
        if (wakeup != null) {
            if (wakeupDue <= next.due) {
                return;
            }
            wakeup.cancel(false);
        }
        wakeupDue = next.due;
        wakeup = loop.schedule(this::wake, Math.max(0, next.due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.cancel(false);
        if (!loop.isShuttingDown()) {
            loop.execute(() -> {
                if (wakeup != null) {
                    wakeup.cancel(false);
                }
                queue.clear();
                jobs.clear();
                jobCount = 0;
            });
        }
    }

    private final class Job {
        Check check;
        /** When this run is due. */
        long due;
        /** The check's steady slot: a fixed phase within its interval. */
        long slot;

        final AtomicBoolean running = new AtomicBoolean();

        Job(Check check) {
            this.check = check;
        }

        /**
         * A new check runs within its first 250 ms (a fresh agent has answers at once), then
         * moves to its steady slot, spread over the interval.
         */
        void place(long now) {
            long phase = phase();
            slot = now + phase;
            due = now + phase % Math.min(check.interval().toNanos(), FIRST_RUN_WINDOW_NANOS);
        }

        /**
         * A known check whose interval changed (an edit, or the probe budget as agents come and go)
         * keeps to its new slot with no early run: every agent sees a node join at about the same
         * time, and early runs from all of them would burst into every pod.
         */
        void reslot(long now) {
            slot = now + phase();
            due = slot;
        }

        /** Where in its interval this check runs on this agent. */
        private long phase() {
            return Phases.offsetNanos(phaseSalt + check.key(), check.interval().toNanos(), jitterFraction);
        }

        /** Sets {@link #due} to the next run, then starts this one: a run that throws is not retried at once. */
        void run(long now) {
            long dueNow = due;
            long interval = check.interval().toNanos();
            if (slot <= now) {
                // the slot just served, or slots missed in a long pause: skip ahead, keep the phase
                slot += ((now - slot) / interval + 1) * interval;
            }
            due = slot;
            start(now, dueNow);
        }

        private void start(long now, long dueNow) {
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
            observer.started(kind, now - dueNow);
            CompletableFuture<?> f;
            try {
                f = runner.apply(check);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            } catch (Error e) {
                // released, or the check would count as running forever; the loop logs the error
                inFlight.decrementAndGet();
                running.set(false);
                throw e;
            }
            f.whenComplete((r, err) -> {
                inFlight.decrementAndGet();
                running.set(false);
            });
        }
    }
}
