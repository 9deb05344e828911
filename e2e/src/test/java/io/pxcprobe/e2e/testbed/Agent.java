package io.pxcprobe.e2e.testbed;

import io.pxcprobe.config.TcpMode;
import io.pxcprobe.testkit.AgentProcess;
import io.pxcprobe.testkit.AgentYaml;
import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.Distribution;
import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The agent from the built distribution, running in one "node" namespace with a static member
 * list. Members carry no {@code node}: the Galera hosts run no agent, and a known target node
 * without one is exactly what PXCProbeAgentsMissing reports.
 */
public final class Agent implements AutoCloseable {
    public static final int PORT = 9797;

    /** Probe timing; {@link #DEFAULT} is the shipped default. */
    public record Rate(Duration tcpInterval, Duration tcpTimeout, Duration dnsInterval, Duration dnsTimeout) {
        public static final Rate DEFAULT =
                new Rate(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2));

        /** {@code factor} times as many checks; a timeout never outlasts its interval. */
        public Rate times(int factor) {
            Duration ti = tcpInterval.dividedBy(factor);
            Duration di = dnsInterval.dividedBy(factor);
            return new Rate(ti, min(tcpTimeout, ti), di, min(dnsTimeout, di));
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }

    private final String node;
    private final NetNs ns;
    private final String ip;
    private final Path config;
    private final Path log;
    private final Distribution dist;
    private AgentProcess process;

    Agent(String node, NetNs ns, String ip, Path config, Path log, Path dist) {
        this.node = node;
        this.ns = ns;
        this.ip = ip;
        this.config = config;
        this.log = log;
        this.dist = Distribution.at(dist).wrappedIn(List.of(ns.prefixed()));
    }

    public String node() {
        return node;
    }

    public NetNs ns() {
        return ns;
    }

    public String ip() {
        return ip;
    }

    /** (Re)starts the agent with {@code rate} and waits until it serves metrics. */
    public void start(Rate rate, String namespace, String cluster, List<GaleraNode> members, String resolver) {
        start(rate, Optional.empty(), namespace, cluster, members, resolver);
    }

    /** As {@link #start(Rate, String, String, List, String)}, with {@code probes.tcp.mode} set when given (else the agent's default). */
    public void start(
            Rate rate,
            Optional<TcpMode> tcpMode,
            String namespace,
            String cluster,
            List<GaleraNode> members,
            String resolver) {
        start(rate, tcpMode, namespace, cluster, members, resolver, false);
    }

    /**
     * As {@link #start(Rate, Optional, String, String, List, String)}, configured as a backup's view: the
     * admin port (33062, in syn mode only) and the SRV records of the cluster's service are checked too.
     */
    public void startForBackups(
            Rate rate, TcpMode tcpMode, String namespace, String cluster, List<GaleraNode> members, String resolver) {
        start(rate, Optional.of(tcpMode), namespace, cluster, members, resolver, true);
    }

    /**
     * As {@link #start(Rate, String, String, List, String)}, with canary listeners on 4567 and 4444
     * (a window of {@code window}) for the sidecars in the Galera namespaces to probe.
     */
    public void startWithCanary(
            Rate rate, Duration window, String namespace, String cluster, List<GaleraNode> members, String resolver) {
        canaryWindow = Optional.of(window);
        try {
            start(rate, Optional.empty(), namespace, cluster, members, resolver, false);
        } finally {
            canaryWindow = Optional.empty();
        }
    }

    private Optional<Duration> canaryWindow = Optional.empty();

    private void start(
            Rate rate,
            Optional<TcpMode> tcpMode,
            String namespace,
            String cluster,
            List<GaleraNode> members,
            String resolver,
            boolean backups) {
        stop();
        String service = cluster + "-pxc." + namespace + ".svc." + DnsServer.DOMAIN;
        boolean admin = backups && tcpMode.orElse(TcpMode.CONNECT) == TcpMode.SYN;
        StringBuilder y = new StringBuilder();
        y.append("node: ")
                .append(node)
                .append('\n')
                .append("http:\n  bind: ")
                .append(ip)
                .append("\n  port: ")
                .append(PORT)
                .append('\n')
                .append("peers:\n  dns: ")
                .append(Testbed.AGENTS_SERVICE)
                // the scenarios poll /cluster; its rate limit (12 a minute by default) has its own unit test
                .append(".\n  ratePerMinute: 600\n  burst: 100\n")
                .append("probes:\n")
                .append("  tcp:\n    interval: ")
                .append(ms(rate.tcpInterval()))
                .append("\n    timeout: ")
                .append(ms(rate.tcpTimeout()))
                .append(tcpMode.map(m -> "\n    mode: " + m.label()).orElse(""))
                .append("\n    ports:\n")
                .append("      gcomm: {port: 4567, expect: listening}\n")
                .append("      ist: {port: 4568, expect: reachable}\n")
                .append("      sst: {port: 4444, expect: reachable}\n")
                .append(admin ? "      admin: {port: 33062, expect: listening}\n" : "")
                .append("  dns:\n    interval: ")
                .append(ms(rate.dnsInterval()))
                .append("\n    timeout: ")
                .append(ms(rate.dnsTimeout()))
                .append("\n    resolvers: [\"")
                .append(resolver)
                .append(":53\"]\n")
                .append(AgentYaml.staticDiscovery(
                        namespace,
                        cluster,
                        backups ? service : null,
                        members.stream()
                                .map(m -> "{pod: " + m.pod() + ", address: " + m.ip() + ", dnsName: " + m.pod() + "."
                                        + cluster + "-pxc." + namespace + ".svc." + DnsServer.DOMAIN + "}")
                                .toList()))
                // a backup due within the hour: PXCBackupWillFail is critical as soon as no node can run it
                .append(
                        backups
                                ? "        backupSchedules: [{name: hourly, schedule: \"@hourly\", storage: s3}]\n"
                                : "");
        canaryWindow.ifPresent(w -> y.append("canary:\n  enabled: true\n  window: ")
                .append(w.toSeconds())
                .append("s\n"));
        try {
            Files.writeString(config, y.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = dist.start(config, log, ip, PORT);
        String metrics = process.awaitMetrics(m -> m.contains("pxc_probe_build_info"), Duration.ofSeconds(60));
        if (!metrics.contains("pxc_probe_build_info")) {
            throw new AssertionError(
                    "timed out after 60 s waiting for agent " + node + " serving /metrics:\n" + process.logTail(40));
        }
    }

    /**
     * Runs {@code pxc-probe check} once in this agent's node, with the agent's configuration: its exit
     * code and its report.
     */
    public Proc.Result check(String namespace, String cluster) {
        return Proc.tryRun(
                Duration.ofSeconds(150),
                ns.prefixed(
                        dist.launcher().toString(),
                        "check",
                        "--namespace",
                        namespace,
                        "--cluster",
                        cluster,
                        "--config",
                        config.toString()));
    }

    /** {@code /targets?format=json}: the latest result (and the mode in use) of every check. */
    public String targetsJson() {
        return process == null ? "" : process.get("/targets?format=json");
    }

    public String metricsText() {
        return process == null ? "" : process.metrics();
    }

    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    public String logTail(int lines) {
        return Daemon.tail(log, lines);
    }

    private static String ms(Duration d) {
        return d.toMillis() + "ms";
    }

    @Override
    public void close() {
        stop();
    }
}
