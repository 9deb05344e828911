package io.pxcprobe.config;

import java.util.Optional;

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
        PeersConfig peers,
        CanaryConfig canary,
        Optional<SidecarConfig> sidecar,
        MetricsConfig metrics) {

    /** The configuration of an agent without canaries, outside sidecar mode. */
    public AgentConfig(
            String node,
            HttpConfig http,
            TcpConfig tcp,
            DnsConfig dns,
            SchedulerConfig scheduler,
            LogConfig log,
            StaticDiscoveryConfig staticDiscovery,
            KubernetesDiscoveryConfig kubernetes,
            PeersConfig peers) {
        this(
                node,
                http,
                tcp,
                dns,
                scheduler,
                log,
                staticDiscovery,
                kubernetes,
                peers,
                CanaryConfig.off(),
                Optional.empty(),
                MetricsConfig.DEFAULT);
    }

    public AgentConfig withCanary(CanaryConfig other) {
        return new AgentConfig(
                node, http, tcp, dns, scheduler, log, staticDiscovery, kubernetes, peers, other, sidecar, metrics);
    }

    /** A copy answering HTTP on {@code other} instead. */
    public AgentConfig withHttp(HttpConfig other) {
        return new AgentConfig(
                node, other, tcp, dns, scheduler, log, staticDiscovery, kubernetes, peers, canary, sidecar, metrics);
    }

    /** Settings a running agent cannot take over without a restart. */
    public boolean sameStartupSettings(AgentConfig other) {
        return node.equals(other.node)
                && http.equals(other.http)
                && log.equals(other.log)
                && kubernetes.equals(other.kubernetes)
                && scheduler.equals(other.scheduler)
                && peers.equals(other.peers)
                && canary.equals(other.canary)
                && sidecar.equals(other.sidecar)
                && metrics.equals(other.metrics);
    }
}
