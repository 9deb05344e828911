package io.pxcprobe.canary;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.target.Member;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who reached this node's canaries, by PXC pod: the source address is looked up among the plan's
 * members (the address mysqld and the donor have). The counter has one series per member and
 * port, and one per port for every source that is no known member, so its labels stay bounded;
 * the time of each member's latest connection backs the backup verdict's reverse requirements.
 */
public final class CanarySightings implements ResultListener {
    /** A cluster whose sidecars were seen within this many windows is judged on its reverse paths. */
    static final int SIDECAR_MEMORY_WINDOWS = 10;

    private final Counter connections;
    private final List<String> ports;
    private final long windowNanos;
    private final LongSupplier clock;
    private volatile Map<InetAddress, Member> byAddress = Map.of();
    /** Latest connection per member key and port: bounded by the plan's members times the ports. */
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    /** Latest connection from any member of a cluster, by {@code namespace/cluster}. */
    private final Map<String, Long> clusterLastSeen = new ConcurrentHashMap<>();

    public CanarySightings(
            PrometheusRegistry registry, Labels constLabels, List<String> ports, long windowNanos, LongSupplier clock) {
        this.ports = List.copyOf(ports);
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.connections = Counter.builder()
                .name("pxc_probe_canary_connections_total")
                .help(
                        "Connections to this agent's canary listeners by source PXC pod (empty labels: a source that is no known member).")
                .constLabels(constLabels)
                .labelNames("port", "namespace", "cluster", "pod")
                .register(registry);
        this.ports.forEach(p -> connections.initLabelValues(p, "", "", ""));
    }

    /** Called on the event loop for each accepted connection. */
    void connected(String port, InetAddress from) {
        Member m = byAddress.get(from);
        if (m == null) {
            connections.labelValues(port, "", "", "").inc();
            return;
        }
        connections.labelValues(port, m.namespace(), m.cluster(), m.pod()).inc();
        long now = clock.getAsLong();
        lastSeen.put(m.key() + "|" + port, now);
        clusterLastSeen.put(m.namespace() + "/" + m.cluster(), now);
    }

    @Override
    public void onResult(Result result) {}

    @Override
    public synchronized void onPlan(ProbePlan plan) {
        Map<InetAddress, Member> next = new HashMap<>();
        Set<String> keys = new HashSet<>();
        Set<String> clusters = new HashSet<>();
        for (Member m : plan.snapshot().members()) {
            next.putIfAbsent(m.address(), m);
            keys.add(m.key());
            clusters.add(m.namespace() + "/" + m.cluster());
        }
        for (Member old : byAddress.values()) {
            if (!keys.contains(old.key())) {
                ports.forEach(p -> connections.remove(p, old.namespace(), old.cluster(), old.pod()));
            }
        }
        for (Member m : next.values()) {
            ports.forEach(p -> connections.initLabelValues(p, m.namespace(), m.cluster(), m.pod()));
        }
        byAddress = Map.copyOf(next);
        lastSeen.keySet().removeIf(k -> !keys.contains(k.substring(0, k.lastIndexOf('|'))));
        clusterLastSeen.keySet().removeIf(k -> !clusters.contains(k));
    }

    /**
     * The Ready-or-not pods of a cluster that reached {@code port} within the window; empty when the
     * cluster's sidecars have not been seen for {@value #SIDECAR_MEMORY_WINDOWS} windows (no sidecars:
     * the reverse paths are not probed, so not judged).
     */
    public Optional<Set<String>> reached(String namespace, String cluster, String port) {
        long now = clock.getAsLong();
        Long any = clusterLastSeen.get(namespace + "/" + cluster);
        if (any == null || now - any > SIDECAR_MEMORY_WINDOWS * windowNanos) {
            return Optional.empty();
        }
        Set<String> pods = new HashSet<>();
        for (Member m : byAddress.values()) {
            if (m.namespace().equals(namespace) && m.cluster().equals(cluster)) {
                Long t = lastSeen.get(m.key() + "|" + port);
                if (t != null && now - t <= windowNanos) {
                    pods.add(m.pod());
                }
            }
        }
        return Optional.of(pods);
    }

    public List<String> ports() {
        return ports;
    }
}
