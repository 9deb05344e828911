package io.pxcprobe.probe.syn;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hop limit (IPv4 TTL, IPv6 hop limit) that SYN-ACKs from each address last arrived with. An
 * RST to a SYN that arrives with another one was not sent by the target's own stack but by
 * something on the path (a firewall's or a NetworkPolicy's reject), which a connect() cannot tell
 * from a closed port. Bounded: the addresses least recently answered are forgotten first.
 * Only the SYN prober's I/O thread uses it.
 */
final class SynAckHopLimits {
    static final int UNKNOWN = -1;
    private static final int MAX_ADDRESSES = 65_536;

    private final Map<InetAddress, Integer> byAddress = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Integer> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    void synAck(InetAddress from, int hopLimit) {
        if (hopLimit >= 0) {
            byAddress.put(from, hopLimit);
        }
    }

    /** The hop limit of the last SYN-ACK from {@code from}, or {@link #UNKNOWN}. */
    int of(InetAddress from) {
        Integer h = byAddress.get(from);
        return h == null ? UNKNOWN : h;
    }
}
