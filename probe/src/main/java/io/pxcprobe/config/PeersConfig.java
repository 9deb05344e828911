package io.pxcprobe.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The other agents of the DaemonSet, which {@code /cluster} asks for their latest results.
 *
 * @param dnsName       a name whose A/AAAA records are every agent's address (the chart's headless
 *                      Service); null when only {@code addresses} are given
 * @param addresses     agents given by address, besides those {@code dnsName} lists
 * @param port          the agents' HTTP port for the addresses {@code dnsName} gives
 * @param timeout       the deadline of one agent's answer, connect to last byte
 * @param maxConcurrent agents asked at once
 * @param maxAgents     agents asked at most; the rest are reported as not asked
 * @param maxBodyBytes  the largest answer read from one agent
 */
public record PeersConfig(
        String dnsName,
        List<InetSocketAddress> addresses,
        int port,
        Duration timeout,
        int maxConcurrent,
        int maxAgents,
        int maxBodyBytes,
        double ratePerSecond,
        int burst) {

    public PeersConfig {
        addresses = List.copyOf(addresses);
    }

    public boolean configured() {
        return dnsName != null || !addresses.isEmpty();
    }
}
