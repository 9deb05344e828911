package io.pxcprobe.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many checks one agent runs at most. Each check costs heap for its series, state and schedule
 * entry (about 1 KiB of live heap at 10,000 checks, docs/benchmarks.md), so the default follows
 * the heap the launcher sized from the container's memory limit: past it the agent would end in an
 * out-of-memory exit, which probes nothing at all.
 */
public final class CheckLimit {
    /** The young generation and the agent's fixed state, which no check can use. */
    static final long BASE_HEAP_BYTES = 16L << 20;
    /** Per check, with headroom over the measured cost for a scrape's slice and probes in flight. */
    static final long HEAP_BYTES_PER_CHECK = 2L << 10;

    static final int MIN = 1_000;

    private CheckLimit() {}

    /**
     * The default for a heap of {@code maxHeapBytes}. The launcher's 64 MiB floor gives 23,776: the
     * JVM reports it as about 62.4 MiB, one survivor space less.
     */
    public static int forHeap(long maxHeapBytes) {
        long n = (maxHeapBytes - BASE_HEAP_BYTES) / HEAP_BYTES_PER_CHECK;
        return (int) Math.max(MIN, Math.min(Integer.MAX_VALUE, n));
    }

    public static int forThisProcess() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }

    /** The checks kept under a limit, and how many were left out. */
    record Kept(List<TcpCheck> tcp, List<DnsCheck> dns, int leftOut) {}

    /**
     * Keeps at most {@code max} checks. Which ones must not change from one snapshot to the next, so
     * members go in namespace/cluster/pod order, each with all of its ports or none (a member probed on
     * half its ports would read as a filtered port), and DNS checks, in key order, fill what is left.
     */
    static Kept apply(List<TcpCheck> tcp, List<DnsCheck> dns, int max) {
        if (tcp.size() + dns.size() <= max) {
            return new Kept(tcp, dns, 0);
        }
        Map<String, List<TcpCheck>> byMember = new LinkedHashMap<>();
        tcp.stream()
                .sorted(Comparator.comparing((TcpCheck c) -> c.member().key()))
                .forEach(c -> byMember.computeIfAbsent(c.member().key(), k -> new ArrayList<>())
                        .add(c));
        List<TcpCheck> keptTcp = new ArrayList<>();
        for (List<TcpCheck> ports : byMember.values()) {
            if (keptTcp.size() + ports.size() > max) {
                break;
            }
            keptTcp.addAll(ports);
        }
        List<DnsCheck> keptDns = dns.stream()
                .sorted(Comparator.comparing(DnsCheck::key))
                .limit(max - keptTcp.size())
                .toList();
        int leftOut = tcp.size() + dns.size() - keptTcp.size() - keptDns.size();
        return new Kept(List.copyOf(keptTcp), keptDns, leftOut);
    }
}
