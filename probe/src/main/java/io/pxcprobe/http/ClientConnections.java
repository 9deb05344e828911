package io.pxcprobe.http;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Open connections in total and per client address. At a cap, a new connection takes the slot of
 * the longest-idle kept-alive connection (of its own address for the per-address cap, of anyone
 * for the total) rather than being refused: clients that leave pooled connections open (a new
 * HTTP client per request, say) must not lock their own address out. Connections in the middle of
 * a request are never evicted, so trickling clients still cannot take more than the caps.
 * Bounded: both maps hold only open connections.
 */
final class ClientConnections {
    private final int maxTotal;
    private final int maxPerClient;
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    /** Kept-alive connections waiting for their next request, the longest idle first. */
    private final LinkedHashMap<Channel, InetAddress> idle = new LinkedHashMap<>();
    /** Evicted connections whose close has not completed yet: their slots are already given back. */
    private final Set<Channel> evicted = new HashSet<>();

    private int total;

    ClientConnections(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** The outcome of {@link #tryOpen}: admitted, and the idle connection closed to make room, if any. */
    record Admission(boolean admitted, Channel evicted) {
        static final Admission REFUSED = new Admission(false, null);
    }

    /**
     * Takes a slot for a new connection from {@code client}. The evicted connection, if any, has
     * already given up its slot; the caller closes it.
     */
    synchronized Admission tryOpen(InetAddress client) {
        Channel evicted = null;
        if (perClient.getOrDefault(client, 0) >= maxPerClient) {
            evicted = oldestIdle(client);
            if (evicted == null) {
                return Admission.REFUSED;
            }
        } else if (total >= maxTotal) {
            evicted = oldestIdle(null);
            if (evicted == null) {
                return Admission.REFUSED;
            }
        }
        perClient.merge(client, 1, Integer::sum);
        total++;
        return new Admission(true, evicted);
    }

    /** Gives back the slot of an admitted connection, unless it was evicted (its slot is gone). */
    synchronized void closed(Channel channel, InetAddress client) {
        idle.remove(channel);
        if (!evicted.remove(channel)) {
            release(client);
        }
    }

    /** The connection waits for its next request: it may be evicted. */
    synchronized void idle(Channel channel) {
        if (channel.isActive()) {
            idle.put(channel, ((InetSocketAddress) channel.remoteAddress()).getAddress());
        }
    }

    /** A request started on the connection: it may not be evicted. */
    synchronized void busy(Channel channel) {
        idle.remove(channel);
    }

    synchronized int open() {
        return total;
    }

    /** Removes and returns the longest-idle connection, of {@code client} or of anyone (null). */
    private Channel oldestIdle(InetAddress client) {
        for (Iterator<Map.Entry<Channel, InetAddress>> it = idle.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Channel, InetAddress> e = it.next();
            if (client == null || e.getValue().equals(client)) {
                it.remove();
                release(e.getValue());
                evicted.add(e.getKey());
                return e.getKey();
            }
        }
        return null;
    }

    private void release(InetAddress client) {
        perClient.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
        total--;
    }
}
