package io.pxcprobe.discovery.kubernetes;

import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/** Collects published snapshots and waits, bounded in time, for one that meets a condition. */
final class SnapshotRecorder implements Consumer<TargetSnapshot> {

    private final AtomicReference<TargetSnapshot> latest = new AtomicReference<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<Thread> publisher = new AtomicReference<>();
    private volatile boolean concurrent;

    @Override
    public void accept(TargetSnapshot snapshot) {
        Thread previous = publisher.getAndSet(Thread.currentThread());
        if (previous != null && previous != Thread.currentThread()) {
            concurrent = true;
        }
        latest.set(snapshot);
        count.incrementAndGet();
    }

    TargetSnapshot latest() {
        return latest.get();
    }

    int count() {
        return count.get();
    }

    /** Whether every snapshot came from the same thread. */
    boolean singleThreaded() {
        return !concurrent;
    }

    TargetSnapshot await(String what, Duration within, Predicate<TargetSnapshot> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            TargetSnapshot s = latest.get();
            if (s != null && condition.test(s)) {
                return s;
            }
            Thread.sleep(10);
        }
        return Assertions.fail("no snapshot with " + what + " within " + within + "; latest: " + latest.get());
    }

    static Optional<Member> member(TargetSnapshot s, String namespace, String pod) {
        return s.members().stream()
                .filter(m -> m.namespace().equals(namespace) && m.pod().equals(pod))
                .findFirst();
    }
}
