package io.pxcprobe.config;

import java.time.Duration;
import java.util.List;

/**
 * TCP path checks: the default interval, timeout and mode, the ports every member is checked on,
 * and the probe budget.
 *
 * @param budget probes per second into each pod and port from all agents together: each agent
 *     stretches its interval to at least agents / budget seconds; 0 for no budget
 */
public record TcpConfig(Duration interval, Duration timeout, TcpMode mode, List<PortSpec> ports, int budget) {}
