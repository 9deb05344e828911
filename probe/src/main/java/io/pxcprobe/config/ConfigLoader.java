package io.pxcprobe.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads and validates the agent's YAML configuration; every mistake is one message with file, line and key. */
public final class ConfigLoader {
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /**
     * Probes a second into each pod and port from every agent together: at the default 5 s interval
     * the budget stretches nothing up to 100 nodes, and holds 1,000 nodes to one probe each 50 s.
     */
    static final int DEFAULT_TCP_BUDGET = 20;

    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** The largest configuration file read; the YAML parser's own limit (3 MB by default) is raised to it. */
    public static final int MAX_FILE_BYTES = 4 << 20;

    private final UnaryOperator<String> env;
    private final ModeCheck modeCheck;

    public ConfigLoader(UnaryOperator<String> env) {
        this(env, ModeCheck.ANY);
    }

    private ConfigLoader(UnaryOperator<String> env, ModeCheck modeCheck) {
        this.env = env;
        this.modeCheck = modeCheck;
    }

    /** A loader that also refuses any TCP mode {@code check} says this process cannot run. */
    public ConfigLoader withModeCheck(ModeCheck check) {
        return new ConfigLoader(env, check);
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public AgentConfig load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw tooLarge(file.toString());
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses content already read (by the reloader, which hashes the same bytes). */
    public AgentConfig parse(String fileName, byte[] content) throws ConfigException {
        if (content.length > MAX_FILE_BYTES) {
            throw tooLarge(fileName);
        }
        return parse(fileName, new String(content, StandardCharsets.UTF_8));
    }

    private static ConfigException tooLarge(String fileName) {
        return new ConfigException(fileName + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }

    public AgentConfig parse(String fileName, String text) throws ConfigException {
        Node root;
        try {
            Optional<Node> composed = new Compose(LoadSettings.builder()
                            .setLabel(fileName)
                            .setCodePointLimit(MAX_FILE_BYTES)
                            .build())
                    .composeString(text);
            root = composed.orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(fileName + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException(fileName + ": not valid YAML: " + e.getMessage());
        }
        YamlSection top = new YamlSection(fileName, "", root);
        String node = top.string("node", null);
        if (node == null || node.isBlank()) {
            node = defaultNodeName();
        }
        HttpConfig http = http(top.section("http"));
        boolean sidecarMode = top.has("sidecar");
        YamlSection probes = top.section("probes");
        TcpConfig tcp = sidecarMode ? sidecarTcp(probes.section("tcp")) : tcp(probes.section("tcp"), modeCheck);
        DnsConfig dns = dns(probes.section("dns"));
        probes.finish();
        SchedulerConfig scheduler = scheduler(top.section("scheduler"));
        LogConfig log = log(top.section("log"));
        MetricsConfig metrics = metrics(top.section("metrics"));
        YamlSection discovery = top.section("discovery");
        StaticDiscoveryConfig statics = statics(discovery.section("static"));
        KubernetesDiscoveryConfig kubernetes = kubernetes(discovery.section("kubernetes"));
        discovery.finish();
        PeersConfig peers = peers(top.section("peers"), http.port());
        CanaryConfig canary = canary(top.section("canary"), http.port());
        Optional<SidecarConfig> sidecar = Optional.empty();
        if (sidecarMode) {
            sidecar = Optional.of(sidecar(top.section("sidecar")));
            onlySidecarDiscovery(top, statics, kubernetes, canary);
        }
        top.finish();
        return new AgentConfig(
                node.trim(), http, tcp, dns, scheduler, log, statics, kubernetes, peers, canary, sidecar, metrics);
    }

    private String defaultNodeName() {
        String n = env.apply("NODE_NAME");
        if (n != null && !n.isBlank()) {
            return n;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static HttpConfig http(YamlSection s) throws ConfigException {
        String bind = s.string("bind", "0.0.0.0");
        if (Addresses.parseLiteral(bind).isEmpty()) {
            throw s.errorAt("bind", "'" + bind + "' is not an IP address");
        }
        int port = s.integer("port", 9797, 1, 65535);
        YamlSection probe = s.section("probe");
        int rate = probe.integer("ratePerMinute", 60, 1, 6000);
        int burst = probe.integer("burst", 10, 1, 1000);
        List<Cidr> cidrs = new ArrayList<>();
        for (String c : probe.strings("allowCidrs")) {
            try {
                cidrs.add(Cidr.parse(c));
            } catch (IllegalArgumentException e) {
                throw probe.errorAt("allowCidrs", e.getMessage());
            }
        }
        probe.finish();
        s.finish();
        return new HttpConfig(bind, port, rate / 60.0, burst, List.copyOf(cidrs));
    }

    private static PeersConfig peers(YamlSection s, int httpPort) throws ConfigException {
        String dnsName = s.string("dns", null);
        if (dnsName != null && !dnsName.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9.])?")) {
            throw s.errorAt("dns", "'" + dnsName + "' is not a DNS name");
        }
        int port = s.integer("port", httpPort, 1, 65535);
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String a : s.strings("addresses")) {
            try {
                addresses.add(Addresses.socketAddress(a, port, "list agents by address, or give peers.dns"));
            } catch (IllegalArgumentException e) {
                throw s.errorAt("addresses", e.getMessage());
            }
        }
        Duration timeout = s.duration("timeout", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30));
        int maxConcurrent = s.integer("maxConcurrent", 16, 1, 256);
        int maxAgents = s.integer("maxAgents", 2000, 1, 10_000);
        int maxBodyKiB = s.integer("maxBodyKiB", 1024, 16, 16384);
        int rate = s.integer("ratePerMinute", 12, 1, 600);
        int burst = s.integer("burst", 3, 1, 100);
        s.finish();
        return new PeersConfig(
                dnsName, addresses, port, timeout, maxConcurrent, maxAgents, maxBodyKiB << 10, rate / 60.0, burst);
    }

    private static CanaryConfig canary(YamlSection s, int httpPort) throws ConfigException {
        boolean enabled = s.bool("enabled", false);
        String bind = s.string("bind", "0.0.0.0");
        if (Addresses.parseLiteral(bind).isEmpty()) {
            throw s.errorAt("bind", "'" + bind + "' is not an IP address");
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        YamlSection portsSection = s.section("ports");
        if (!s.has("ports")) {
            ports.putAll(CanaryConfig.BACKUP_PORTS);
        }
        for (String name : portsSection.keys()) {
            if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
                throw portsSection.errorAt(
                        name, "port names must be short lower-case words (they become the 'port' label)");
            }
            int number = portsSection.integer(name, 0, 1, 65535);
            if (number == httpPort || ports.containsValue(number)) {
                throw portsSection.errorAt(name, "port " + number + " is taken by another listener of this agent");
            }
            ports.put(name, number);
        }
        portsSection.finish();
        if (enabled && ports.isEmpty()) {
            throw s.errorAt("ports", "an enabled canary needs at least one port");
        }
        Duration window = s.duration("window", Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(1));
        s.finish();
        return new CanaryConfig(enabled, bind, ports, window);
    }

    private SidecarConfig sidecar(YamlSection s) throws ConfigException {
        String pod = s.string("pod", env.apply("POD_NAME"));
        if (pod == null || pod.isBlank()) {
            throw s.errorAt("pod", "needs this PXC pod's name (or the POD_NAME environment variable)");
        }
        String namespace = s.string("namespace", env.apply("POD_NAMESPACE"));
        if (namespace == null || namespace.isBlank()) {
            throw s.errorAt("namespace", "needs this PXC pod's namespace (or the POD_NAMESPACE environment variable)");
        }
        String cluster = s.string("cluster", env.apply("PXC_CLUSTER"));
        if (cluster == null || cluster.isBlank()) {
            throw s.errorAt(
                    "cluster", "needs the PerconaXtraDBCluster's name (or the PXC_CLUSTER environment variable)");
        }
        YamlSection agentsSection = s.section("agents");
        PeersConfig agents = peers(agentsSection, 9797);
        if (!agents.configured()) {
            throw s.errorAt("agents", "needs agents.dns (the chart's headless Service) or agents.addresses");
        }
        Duration refresh = s.duration("refresh", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));
        s.finish();
        return new SidecarConfig(pod.trim(), namespace.trim(), cluster.trim(), agents, refresh);
    }

    /** A sidecar probes the agents it finds, nothing else: every other source of targets is a mistake. */
    private static void onlySidecarDiscovery(
            YamlSection top, StaticDiscoveryConfig statics, KubernetesDiscoveryConfig kubernetes, CanaryConfig canary)
            throws ConfigException {
        if (!statics.clusters().isEmpty()) {
            throw top.errorAt("discovery", "sidecar mode probes the agents it finds; leave out discovery.static");
        }
        if (kubernetes.enabled() == KubernetesDiscoveryConfig.Enabled.TRUE) {
            throw top.errorAt("discovery", "sidecar mode needs no Kubernetes API; leave out discovery.kubernetes");
        }
        if (canary.enabled()) {
            throw top.errorAt("canary", "the canaries belong in the agents, not in the sidecars");
        }
    }

    /**
     * In sidecar mode the targets are the agents' canaries, which are no database: connect needs no
     * capability, and each canary port must answer (a refusal means the canary is not there).
     */
    private static TcpConfig sidecarTcp(YamlSection s) throws ConfigException {
        Duration interval = s.duration("interval", Duration.ofSeconds(10), MIN_INTERVAL, MAX_INTERVAL);
        Duration timeout = s.duration("timeout", Duration.ofSeconds(2), MIN_TIMEOUT, MAX_TIMEOUT);
        checkTimeout(s, "timeout", timeout, interval);
        TcpMode mode = s.enumValue("mode", TcpMode.class, TcpMode.CONNECT);
        if (mode != TcpMode.CONNECT) {
            throw s.errorAt("mode", "a sidecar probes the agents' canaries in connect mode (it has no capability)");
        }
        Map<String, Integer> numbers = new LinkedHashMap<>();
        YamlSection portsSection = s.section("ports");
        if (!s.has("ports")) {
            numbers.putAll(CanaryConfig.BACKUP_PORTS);
        }
        for (String name : portsSection.keys()) {
            if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
                throw portsSection.errorAt(
                        name, "port names must be short lower-case words (they become the 'port' label)");
            }
            int number = portsSection.integer(name, 0, 1, 65535);
            if (numbers.containsValue(number)) {
                throw portsSection.errorAt(name, "port " + number + " is listed twice");
            }
            numbers.put(name, number);
        }
        portsSection.finish();
        s.finish();
        List<PortSpec> ports = new ArrayList<>();
        numbers.forEach((name, number) ->
                ports.add(new PortSpec(name, number, PortSpec.Expect.LISTENING, interval, timeout, mode)));
        // a sidecar probes the agents' canaries: their fan-in is the PXC pods, a handful
        return new TcpConfig(interval, timeout, mode, List.copyOf(ports), 0, Map.of());
    }

    private static TcpConfig tcp(YamlSection s, ModeCheck modeCheck) throws ConfigException {
        Duration interval = s.duration("interval", Duration.ofSeconds(5), MIN_INTERVAL, MAX_INTERVAL);
        Duration timeout = s.duration("timeout", Duration.ofSeconds(2), MIN_TIMEOUT, MAX_TIMEOUT);
        checkTimeout(s, "timeout", timeout, interval);
        TcpMode mode = s.enumValue("mode", TcpMode.class, TcpMode.CONNECT);
        runnable(s, modeCheck, mode);
        int budget = s.integer("budget", DEFAULT_TCP_BUDGET, 0, 100_000);
        List<PortSpec> ports = new ArrayList<>();
        if (!s.has("ports")) {
            ports.add(new PortSpec("gcomm", 4567, PortSpec.Expect.LISTENING, interval, timeout, mode));
            ports.add(new PortSpec("ist", 4568, PortSpec.Expect.REACHABLE, interval, timeout, mode));
            ports.add(new PortSpec("sst", 4444, PortSpec.Expect.REACHABLE, interval, timeout, mode));
            if (mode != TcpMode.CONNECT) {
                // the backup asks each donor candidate's admin port whether it is Synced; the plan
                // leaves it out where auto settles to connect
                ports.add(new PortSpec("admin", 33062, PortSpec.Expect.LISTENING, interval, timeout, mode));
            }
        }
        YamlSection portsSection = s.section("ports");
        Set<Integer> numbers = new HashSet<>();
        Map<String, Integer> sources = new LinkedHashMap<>();
        for (String name : portsSection.keys()) {
            if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
                throw portsSection.errorAt(
                        name, "port names must be short lower-case words (they become the 'port' label)");
            }
            YamlSection p = portsSection.section(name);
            if (!p.has("port")) {
                throw portsSection.errorAt(name, "needs a port number");
            }
            int number = p.integer("port", 0, 1, 65535);
            if (!numbers.add(number)) {
                throw p.errorAt("port", "port " + number + " is listed twice");
            }
            PortSpec.Expect expect = p.enumValue("expect", PortSpec.Expect.class, PortSpec.Expect.LISTENING);
            int k = p.integer("sources", 0, 0, 1000);
            if (k > 0 && TcpConfig.VERDICT_PORTS.contains(name)) {
                throw p.errorAt(
                        "sources",
                        name + " is judged by the backup verdict on every node, which needs the evidence of each node:"
                                + " sample only ports such as ist and sst");
            }
            if (k > 0) {
                sources.put(name, k);
            }
            Duration pi = p.duration("interval", interval, MIN_INTERVAL, MAX_INTERVAL);
            Duration pt = p.duration("timeout", timeout, MIN_TIMEOUT, MAX_TIMEOUT);
            checkTimeout(p, "timeout", pt, pi);
            TcpMode pm = p.enumValue("mode", TcpMode.class, mode);
            runnable(p, modeCheck, pm);
            Set<Integer> podPorts = new HashSet<>(Set.of(number));
            for (String n : p.strings("podPorts")) {
                try {
                    int v = Integer.parseInt(n.trim());
                    if (v < 1 || v > 65535) {
                        throw new NumberFormatException();
                    }
                    podPorts.add(v);
                } catch (NumberFormatException e) {
                    throw p.errorAt("podPorts", "'" + n + "' is not a port number (1-65535)");
                }
            }
            p.finish();
            PortSpec spec = new PortSpec(name, number, expect, pi, pt, pm, podPorts);
            if (spec.reachesMysqld() && pm == TcpMode.CONNECT) {
                throw p.errorAt(
                        p.has("mode") ? "mode" : "port",
                        "port " + number + (PortSpec.MYSQL_PORTS.contains(number) ? "" : " or its podPorts")
                                + " is MySQL's: a connect probe counts toward max_connect_errors on every PXC pod and can get this "
                                + "agent's address blocked; probe it with mode syn (or auto, which leaves it out without CAP_NET_RAW)");
            }
            ports.add(spec);
        }
        s.finish();
        return new TcpConfig(interval, timeout, mode, List.copyOf(ports), budget, sources);
    }

    private static void runnable(YamlSection s, ModeCheck check, TcpMode mode) throws ConfigException {
        String problem = s.has("mode") ? check.problem(mode) : null;
        if (problem != null) {
            throw s.errorAt("mode", problem);
        }
    }

    private static DnsConfig dns(YamlSection s) throws ConfigException {
        Duration interval = s.duration("interval", Duration.ofSeconds(10), MIN_INTERVAL, MAX_INTERVAL);
        Duration timeout = s.duration("timeout", Duration.ofSeconds(2), MIN_TIMEOUT, MAX_TIMEOUT);
        checkTimeout(s, "timeout", timeout, interval);
        List<ResolverSpec> resolvers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String r : s.strings("resolvers")) {
            ResolverSpec spec;
            try {
                spec = ResolverSpec.parse(r);
            } catch (IllegalArgumentException e) {
                throw s.errorAt("resolvers", e.getMessage());
            }
            if (!seen.add(spec.label())) {
                throw s.errorAt("resolvers", spec.label() + " is listed twice");
            }
            resolvers.add(spec);
        }
        boolean aaaa = s.bool("aaaa", false);
        s.finish();
        return new DnsConfig(interval, timeout, List.copyOf(resolvers), aaaa);
    }

    private static SchedulerConfig scheduler(YamlSection s) throws ConfigException {
        int maxInFlight = s.integer("maxInFlight", 4096, 1, 65536);
        int jitterPercent = s.integer("jitterPercent", 10, 0, 50);
        int maxChecks = s.integer("maxChecks", 0, 0, 1_000_000);
        s.finish();
        return new SchedulerConfig(maxInFlight, jitterPercent / 100.0, maxChecks);
    }

    private static LogConfig log(YamlSection s) throws ConfigException {
        LogConfig.Format format = s.enumValue("format", LogConfig.Format.class, LogConfig.Format.TEXT);
        LogConfig.Level level = s.enumValue("level", LogConfig.Level.class, LogConfig.Level.INFO);
        s.finish();
        return new LogConfig(format, level);
    }

    private static MetricsConfig metrics(YamlSection s) throws ConfigException {
        MetricsConfig.Histograms histograms =
                s.enumValue("histograms", MetricsConfig.Histograms.class, MetricsConfig.DEFAULT.histograms());
        s.finish();
        return new MetricsConfig(histograms);
    }

    private static StaticDiscoveryConfig statics(YamlSection s) throws ConfigException {
        List<StaticDiscoveryConfig.Cluster> clusters = new ArrayList<>();
        Set<String> clusterKeys = new HashSet<>();
        for (YamlSection c : s.sections("clusters")) {
            String namespace = label(c, "namespace");
            String name = label(c, "name");
            if (!clusterKeys.add(namespace + "/" + name)) {
                throw c.errorAt("name", "cluster " + namespace + "/" + name + " is listed twice");
            }
            List<StaticDiscoveryConfig.Member> members = new ArrayList<>();
            Set<String> pods = new HashSet<>();
            for (YamlSection m : c.sections("members")) {
                String pod = label(m, "pod");
                if (!pods.add(pod)) {
                    throw m.errorAt("pod", "duplicate member " + namespace + "/" + name + "/" + pod);
                }
                String addressText = m.requiredString("address");
                InetAddress address = Addresses.parseLiteral(addressText)
                        .orElseThrow(() -> m.errorAt("address", "'" + addressText + "' is not an IP address"));
                String dnsName = m.string("dnsName", null);
                if (dnsName != null && !dnsName.trim().matches("[A-Za-z0-9_.-]{1,253}")) {
                    throw m.errorAt("dnsName", "'" + dnsName + "' is not a DNS name");
                }
                String node = m.string("node", null);
                m.finish();
                members.add(
                        new StaticDiscoveryConfig.Member(pod, address, dnsName == null ? null : dnsName.trim(), node));
            }
            String serviceName = c.string("serviceName", null);
            if (serviceName != null && !serviceName.trim().matches("[A-Za-z0-9_.-]{1,253}")) {
                throw c.errorAt("serviceName", "'" + serviceName + "' is not a DNS name");
            }
            if (serviceName != null && members.stream().anyMatch(m -> m.dnsName() == null)) {
                throw c.errorAt("serviceName", "needs a dnsName on every member: the SRV records must list them");
            }
            List<StaticDiscoveryConfig.BackupSchedule> schedules = new ArrayList<>();
            for (YamlSection b : c.sections("backupSchedules")) {
                String scheduleName = label(b, "name");
                String cron = b.requiredString("schedule");
                try {
                    CronSchedule.parse(cron);
                } catch (CronSchedule.Invalid e) {
                    throw b.errorAt("schedule", e.getMessage());
                }
                String storage = b.string("storage", null);
                b.finish();
                schedules.add(new StaticDiscoveryConfig.BackupSchedule(scheduleName, cron.trim(), storage));
            }
            c.finish();
            clusters.add(new StaticDiscoveryConfig.Cluster(
                    namespace,
                    name,
                    serviceName == null ? null : serviceName.trim(),
                    List.copyOf(members),
                    List.copyOf(schedules)));
        }
        s.finish();
        return new StaticDiscoveryConfig(List.copyOf(clusters));
    }

    private static KubernetesDiscoveryConfig kubernetes(YamlSection s) throws ConfigException {
        var enabled =
                s.enumValue("enabled", KubernetesDiscoveryConfig.Enabled.class, KubernetesDiscoveryConfig.Enabled.AUTO);
        List<String> namespaces = s.strings("namespaces");
        String selector = s.string("podSelector", KubernetesDiscoveryConfig.DEFAULT_SELECTOR)
                .trim();
        if (selector.isEmpty()) {
            throw s.errorAt("podSelector", "must not be empty: it keeps unrelated pods out of the watch");
        }
        String domain = s.string("clusterDomain", "cluster.local").trim();
        String kubeconfig = s.string("kubeconfig", null);
        String dnsService = s.string("dnsService", null);
        if (dnsService != null && !dnsService.matches("[a-z0-9-]+/[a-z0-9-]+")) {
            throw s.errorAt("dnsService", "'" + dnsService + "' is not namespace/name");
        }
        boolean watchClusters = s.bool("watchClusters", true);
        boolean requireOperatorOwner = s.bool("requireOperatorOwner", true);
        s.finish();
        return new KubernetesDiscoveryConfig(
                enabled,
                List.copyOf(namespaces),
                selector,
                domain,
                kubeconfig,
                dnsService,
                watchClusters,
                requireOperatorOwner);
    }

    private static String label(YamlSection s, String key) throws ConfigException {
        String v = s.requiredString(key);
        if (!v.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,252}")) {
            throw s.errorAt(key, "'" + v + "' is not a Kubernetes-style name");
        }
        return v;
    }

    private static void checkTimeout(YamlSection s, String key, Duration timeout, Duration interval)
            throws ConfigException {
        if (timeout.compareTo(interval) > 0) {
            throw s.errorAt(
                    key,
                    Durations.format(timeout) + " is longer than the interval " + Durations.format(interval)
                            + ": a check must end before its next run");
        }
    }
}
