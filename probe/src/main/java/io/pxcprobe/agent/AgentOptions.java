package io.pxcprobe.agent;

import java.nio.file.Path;

/**
 * How to run an agent beyond its configuration file.
 *
 * @param configFile         re-read on change; null when the configuration was given in code
 * @param httpPortOverride   a port to use instead of the configured one (0: any free port), or -1
 * @param probeThreads       event-loop threads for probing
 * @param reloadPeriodMillis how often the configuration file is checked for changes
 * @param tcpModes           which TCP probe modes this process can run
 * @param extraSources       discovery sources besides the static one (Kubernetes)
 */
public record AgentOptions(
        Path configFile,
        int httpPortOverride,
        int probeThreads,
        long reloadPeriodMillis,
        TcpModes tcpModes,
        DiscoveryFactory extraSources) {

    public static AgentOptions defaults(Path configFile) {
        return new AgentOptions(
                configFile,
                -1,
                Math.min(2, Runtime.getRuntime().availableProcessors()),
                2000,
                TcpModes.detect(),
                DiscoveryFactory.standard(null));
    }

    public AgentOptions withHttpPort(int port) {
        return new AgentOptions(configFile, port, probeThreads, reloadPeriodMillis, tcpModes, extraSources);
    }

    public AgentOptions withReloadPeriod(long millis) {
        return new AgentOptions(configFile, httpPortOverride, probeThreads, millis, tcpModes, extraSources);
    }

    public AgentOptions withSources(DiscoveryFactory factory) {
        return new AgentOptions(configFile, httpPortOverride, probeThreads, reloadPeriodMillis, tcpModes, factory);
    }

    public AgentOptions withTcpModes(TcpModes modes) {
        return new AgentOptions(configFile, httpPortOverride, probeThreads, reloadPeriodMillis, modes, extraSources);
    }
}
