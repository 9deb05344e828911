package io.pxcprobe.mesh;

import io.pxcprobe.mesh.PeerReply.Failure;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks many agents the same question, at most {@code maxConcurrent} at once. A request starts only
 * while one per-agent deadline remains before the fan-out's own deadline, so the whole fan-out ends
 * within twice the per-agent deadline however many agents are slow; agents whose turn never came
 * are {@link Failure#NOT_ASKED}. Each answer is reduced by the fetch as it comes, so what is held
 * grows with what the answers say, not with their bytes.
 *
 * @param <T> what one agent's fetch gives
 */
public final class Fanout<T> {
    /** One agent's question; its future completes within the deadline it is given. */
    @FunctionalInterface
    public interface Fetch<T> {
        CompletableFuture<T> get(InetSocketAddress address, Duration deadline);
    }

    /** What stands for an agent that gave nothing: not asked, or its fetch failed outright. */
    @FunctionalInterface
    public interface Missed<T> {
        T of(InetSocketAddress address, HttpFetch.Failed why);
    }

    private final Fetch<T> fetch;
    private final Missed<T> missed;
    private final int maxConcurrent;
    private final Duration perAgent;

    public Fanout(Fetch<T> fetch, Missed<T> missed, int maxConcurrent, Duration perAgent) {
        this.fetch = fetch;
        this.missed = missed;
        this.maxConcurrent = maxConcurrent;
        this.perAgent = perAgent;
    }

    /** Every address's outcome, in the order of {@code agents}. */
    public CompletableFuture<List<T>> ask(List<InetSocketAddress> agents) {
        Run run = new Run(List.copyOf(agents), System.nanoTime() + perAgent.toNanos());
        if (agents.isEmpty()) {
            run.all.complete(List.of());
        }
        for (int k = 0; k < Math.min(agents.size(), maxConcurrent); k++) {
            run.pump();
        }
        return run.all;
    }

    private final class Run {
        final List<InetSocketAddress> agents;
        final long startCutoff;
        final List<T> out;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger left;
        final CompletableFuture<List<T>> all = new CompletableFuture<>();

        Run(List<InetSocketAddress> agents, long startCutoff) {
            this.agents = agents;
            this.startCutoff = startCutoff;
            this.out = new ArrayList<>(Collections.nCopies(agents.size(), null));
            this.left = new AtomicInteger(agents.size());
        }

        /** Starts the next agent's fetch; loops, rather than recursing, over fetches that end at once. */
        void pump() {
            while (true) {
                int i = next.getAndIncrement();
                if (i >= agents.size()) {
                    return;
                }
                InetSocketAddress a = agents.get(i);
                CompletableFuture<T> f = System.nanoTime() < startCutoff
                        ? start(a)
                        : CompletableFuture.completedFuture(missed.of(
                                a,
                                new HttpFetch.Failed(
                                        Failure.NOT_ASKED, "the fan-out's deadline came before this agent's turn", 0)));
                long begin = System.nanoTime();
                if (f.isDone()) {
                    record(i, outcome(a, f, begin));
                    continue;
                }
                f.whenComplete((r, e) -> {
                    record(i, outcome(a, f, begin));
                    pump();
                });
                return;
            }
        }

        private CompletableFuture<T> start(InetSocketAddress a) {
            long begin = System.nanoTime();
            try {
                return fetch.get(a, perAgent).exceptionally(e -> missed.of(a, PeerClient.failed(unwrap(e), begin)));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(missed.of(a, PeerClient.failed(e, begin)));
            }
        }

        private T outcome(InetSocketAddress a, CompletableFuture<T> f, long begin) {
            try {
                return f.join();
            } catch (RuntimeException e) {
                return missed.of(a, PeerClient.failed(unwrap(e), begin));
            }
        }

        private void record(int i, T r) {
            synchronized (out) {
                out.set(i, r);
            }
            if (left.decrementAndGet() == 0) {
                synchronized (out) {
                    all.complete(List.copyOf(out));
                }
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
