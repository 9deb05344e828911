package io.pxcprobe.probe.syn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/** The probes sent and not yet answered, by identity and by deadline. Used by the I/O thread only. */
final class PendingProbes {

    private final Map<PendingProbe.ProbeKey, PendingProbe> byKey = new HashMap<>();
    private final PriorityQueue<PendingProbe> byDeadline =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));

    /** Whether a probe with this identity is in flight (then draw another ISN). */
    boolean contains(PendingProbe.ProbeKey key) {
        return byKey.containsKey(key);
    }

    void add(PendingProbe probe) {
        byKey.put(probe.key, probe);
        byDeadline.add(probe);
    }

    /** Removes and returns the probe a reply answers, or null for a late, duplicate or foreign packet. */
    PendingProbe claim(Reply reply, int ourPort) {
        if (reply.localPort() != ourPort) {
            return null;
        }
        PendingProbe probe = byKey.get(new PendingProbe.ProbeKey(reply.remote(), reply.remotePort(), reply.isn()));
        if (probe == null || (reply.local() != null && !reply.local().equals(probe.source))) {
            return null;
        }
        byKey.remove(probe.key);
        return probe;
    }

    /** Removes and returns the probes whose deadline has passed. */
    List<PendingProbe> expire(long nowNanos) {
        List<PendingProbe> expired = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.peek().deadlineNanos - nowNanos <= 0) {
            PendingProbe probe = byDeadline.poll();
            if (byKey.remove(probe.key, probe)) {
                expired.add(probe);
            }
        }
        return expired;
    }

    /** Nanoseconds to the earliest deadline still pending, or -1 if none. */
    long nanosToNextDeadline(long nowNanos) {
        while (!byDeadline.isEmpty() && byKey.get(byDeadline.peek().key) != byDeadline.peek()) {
            byDeadline.poll();
        }
        return byDeadline.isEmpty() ? -1 : Math.max(0, byDeadline.peek().deadlineNanos - nowNanos);
    }

    List<PendingProbe> removeAll() {
        List<PendingProbe> all = new ArrayList<>(byKey.values());
        byKey.clear();
        byDeadline.clear();
        return all;
    }

    int size() {
        return byKey.size();
    }
}
