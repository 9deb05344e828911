package io.pxcprobe.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TCP path checks: the default interval, timeout and mode, the ports every member is checked on,
 * and the probe budget.
 *
 * @param budget probes per second into each pod and port from all agents together: each agent
 *     stretches its interval to at least agents / budget seconds; 0 for no budget
 * @param sources per port name, how many agents probe each pod's port (sampling); absent: every agent
 */
public record TcpConfig(
        Duration interval,
        Duration timeout,
        TcpMode mode,
        List<PortSpec> ports,
        int budget,
        Map<String, Integer> sources) {

    /**
     * The ports the backup verdict judges on every node (backup.BackupPaths): each node needs its own
     * evidence of them, so they are never sampled.
     */
    public static final Set<String> VERDICT_PORTS = Set.of("gcomm", "admin");

    public TcpConfig {
        ports = List.copyOf(ports);
        sources = Map.copyOf(sources);
    }
}
