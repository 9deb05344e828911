package io.pxcprobe.config;

import java.time.Duration;

/**
 * Sidecar mode: the agent runs inside a PXC pod (the operator's {@code spec.pxc.sidecars}) and
 * probes every agent's canary ports from there, with the source address and NetworkPolicy
 * identity mysqld and the donor have. It needs no Kubernetes client and no capability.
 *
 * @param pod     this PXC pod (the {@code source_pod} label)
 * @param agents  where the agents are: {@code dns} (the chart's headless Service) and/or addresses;
 *                {@code port} is their HTTP port, asked for each agent's node and pod name
 * @param refresh how often the agents are looked up again
 */
public record SidecarConfig(String pod, String namespace, String cluster, PeersConfig agents, Duration refresh) {}
