package io.pxcprobe.config;

/** The whole agent configuration, validated; every field is set (defaults filled in). */
public record AgentConfig(
        String node,
        HttpConfig http,
        TcpConfig tcp,
        DnsConfig dns,
        SchedulerConfig scheduler,
        LogConfig log,
        StaticDiscoveryConfig staticDiscovery,
        KubernetesDiscoveryConfig kubernetes,
        PeersConfig peers) {

    /** Settings a running agent cannot take over without a restart. */
    public boolean sameStartupSettings(AgentConfig other) {
        return node.equals(other.node)
                && http.equals(other.http)
                && log.equals(other.log)
                && kubernetes.equals(other.kubernetes)
                && scheduler.equals(other.scheduler)
                && peers.equals(other.peers);
    }
}
