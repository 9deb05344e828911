package io.pxcprobe.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections in total and per client address. The map holds only addresses with an
 * open connection, so it is bounded by the total cap.
 */
final class ClientConnections {
    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    ClientConnections(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** Takes a slot for a new connection from this address; false when either cap is reached. */
    boolean tryOpen(InetAddress client) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        perClient.compute(client, (a, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxPerClient) {
                return n;
            }
            admitted[0] = true;
            return open + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    /** Gives back the slot of a connection {@link #tryOpen} admitted. */
    void closed(InetAddress client) {
        perClient.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    int open() {
        return total.get();
    }
}
