package io.pxcprobe.e2e.testbed;

import io.pxcprobe.config.TcpMode;
import io.pxcprobe.testkit.Bridge;
import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.TcpPortRule;
import io.pxcprobe.testkit.TcpPortRule.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole testbed: a private bridge, three Galera nodes, dnsmasq, two agent "nodes",
 * Prometheus and Alertmanager, and a webhook in the test JVM. {@link #close()} removes all of
 * it, and {@link #start} first removes what a crashed earlier run left.
 */
public final class Testbed implements AutoCloseable {
    public static final String NAMESPACE = "pxc";
    public static final String CLUSTER = "e2e";
    private static final int DNS_HOST = 2;
    private static final int MON_HOST = 3;
    private static final int JVM_HOST = 254;
    /** Agent node i (1, 2) has host number AGENT_HOST + i. */
    private static final int AGENT_HOST = 20;
    /** The agent {@link #extraAgent} adds is node AGENT_HOST + this. */
    private static final int EXTRA_AGENT = 3;

    private static final int BACKUP_HOST = 30;

    private final Run run;
    private final List<AutoCloseable> closeOrder = new ArrayList<>();
    private Bridge bridge;
    private final List<GaleraNode> galera = new ArrayList<>();
    private final List<Agent> agents = new ArrayList<>();
    private DnsServer dns;
    private Monitoring monitoring;
    private Webhook webhook;
    private Delayer delayer;
    private int nextQueue = 1;
    private int garbdRuns;
    private Optional<Tls.HostFiles> garbdTls = Optional.empty();
    private Path dist;

    private Testbed(Run run) {
        this.run = run;
    }

    /**
     * Settings that differ between runs: where the agent and the rules are, how short {@code for:}
     * gets, and whether Galera (and garbd) speak TLS with certificates of a throw-away CA.
     */
    public record Settings(Path dist, Path rules, Duration ruleFor, boolean tls) {
        public Settings(Path dist, Path rules, Duration ruleFor) {
            this(dist, rules, ruleFor, false);
        }

        public Settings withTls() {
            return new Settings(dist, rules, ruleFor, true);
        }
    }

    public static Testbed start(Settings settings) {
        Testbed t = new Testbed(Run.begin());
        try {
            t.build(settings);
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    private void build(Settings settings) {
        dist = settings.dist();
        bridge = Bridge.create(run.nsName("br"));
        bridge.attachJvm(run.hostLink(), JVM_HOST);
        String dnsIp = bridge.ip(DNS_HOST);
        List<String> galeraIps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NetNs ns = NetNs.create(run.nsName("g" + i)).withoutIpv6();
            bridge.attach(ns, 10 + i);
            ns.resolvConf(dnsIp);
            galeraIps.add(bridge.ip(10 + i));
            galera.add(new GaleraNode(
                    ns, CLUSTER + "-pxc-" + i, bridge.ip(10 + i), run.dir().resolve("g" + i), run.log("mysqld-" + i)));
        }
        NetNs dnsNs = NetNs.create(run.nsName("dns")).withoutIpv6();
        bridge.attach(dnsNs, DNS_HOST);
        Map<String, String> pods = new LinkedHashMap<>();
        galera.forEach(g -> pods.put(g.pod(), g.ip()));
        dns = DnsServer.start(dnsNs, dnsIp, run.dir().resolve("dns"), run.log("dnsmasq"), NAMESPACE, CLUSTER, pods);
        closeOrder.add(dns);

        List<Optional<Tls.HostFiles>> tls = settings.tls()
                ? issueCertificates()
                : galera.stream().map(g -> Optional.<Tls.HostFiles>empty()).toList();
        for (int i = 0; i < galera.size(); i++) {
            galera.get(i).prepare(CLUSTER + "-pxc", galeraIps, i == 0, tls.get(i));
        }
        closeOrder.add(() -> galera.forEach(GaleraNode::stop));
        for (int i = 0; i < galera.size(); i++) {
            galera.get(i).start(i == 0);
        }

        List<String> targets = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            NetNs ns = NetNs.create(run.nsName("n" + i)).withoutIpv6();
            bridge.attach(ns, AGENT_HOST + i);
            ns.resolvConf(dnsIp);
            Agent a = new Agent(
                    "node-" + i,
                    ns,
                    bridge.ip(AGENT_HOST + i),
                    run.dir().resolve("agent-" + i + ".yaml"),
                    run.log("agent-" + i),
                    settings.dist());
            agents.add(a);
            closeOrder.add(a);
            targets.add(a.ip() + ":" + Agent.PORT);
        }

        // the headless Service of the agents: both nodes, and a third that ClusterViewIT adds
        dns.addRecords(
                AGENTS_SERVICE,
                List.of(bridge.ip(AGENT_HOST + 1), bridge.ip(AGENT_HOST + 2), bridge.ip(AGENT_HOST + EXTRA_AGENT)));

        webhook = Webhook.start(bridge.ip(JVM_HOST));
        closeOrder.add(webhook);
        NetNs monNs = NetNs.create(run.nsName("mon")).withoutIpv6();
        bridge.attach(monNs, MON_HOST);
        monitoring = Monitoring.start(
                monNs,
                bridge.ip(MON_HOST),
                run.dir().resolve("mon"),
                run,
                settings.rules(),
                settings.ruleFor(),
                targets,
                webhook.url());
        closeOrder.add(monitoring);
        delayer = Delayer.compile(run.dir());
    }

    /**
     * A CA of this run, one certificate per Galera host (SANs: pod FQDN, short names, IP) and
     * one for garbd, which starts from the agent nodes' addresses.
     */
    private List<Optional<Tls.HostFiles>> issueCertificates() {
        Tls ca = Tls.createCa(run.dir().resolve("ca"), Run.PREFIX + "-" + run.id() + " CA");
        String service = CLUSTER + "-pxc";
        List<Optional<Tls.HostFiles>> hosts = new ArrayList<>();
        for (GaleraNode g : galera) {
            hosts.add(Optional.of(ca.issue(
                    g.tlsDir(), service, List.of(podFqdn(g), g.pod() + "." + service, g.pod()), List.of(g.ip()))));
        }
        garbdTls = Optional.of(ca.issue(
                run.dir().resolve("garbd-tls"),
                "e2e-garbd",
                List.of("e2e-garbd"),
                List.of(bridge.ip(AGENT_HOST + 1), bridge.ip(AGENT_HOST + 2))));
        return hosts;
    }

    /** Starts garbd from {@code node}'s namespace against the three Galera nodes (with TLS when the cluster has it). */
    public Garbd garbd(Agent node) {
        return Garbd.start(
                node.ns(),
                CLUSTER + "-pxc",
                galera.stream().map(GaleraNode::ip).toList(),
                garbdTls.map(Tls.HostFiles::providerOptions).orElse(""),
                run.log("garbd-" + (garbdRuns++)));
    }

    public boolean tls() {
        return garbdTls.isPresent();
    }

    /** {@code wsrep_cluster_size} as the first running Galera node sees it. */
    public int clusterSize() {
        GaleraNode g = galera.stream().filter(GaleraNode::running).findFirst().orElseThrow();
        return Integer.parseInt(g.status("wsrep_cluster_size").get("wsrep_cluster_size"));
    }

    /** (Re)starts both agents at {@code rate}. */
    public void startAgents(Agent.Rate rate) {
        agents.forEach(a -> a.start(rate, NAMESPACE, CLUSTER, galera, dns.ip()));
    }

    /** (Re)starts both agents at {@code rate} as a backup sees the cluster (SRV and, in syn mode, the admin port too). */
    public void startAgentsForBackups(Agent.Rate rate, TcpMode mode) {
        agents.forEach(a -> a.startForBackups(rate, mode, NAMESPACE, CLUSTER, galera, dns.ip()));
    }

    /** (Re)starts one agent at {@code rate} with {@code probes.tcp.mode: mode}. */
    public void startAgent(Agent agent, Agent.Rate rate, TcpMode mode) {
        agent.start(rate, Optional.of(mode), NAMESPACE, CLUSTER, galera, dns.ip());
    }

    /** The headless Service name the sidecars find the agents by (A records of both agent nodes). */
    public static final String AGENTS_SERVICE = "pxc-probe.monitoring.svc." + DnsServer.DOMAIN;

    /** (Re)starts both agents with canary listeners on 4567 and 4444, a window of {@code window}. */
    public void startAgentsWithCanaries(Agent.Rate rate, Duration window) {
        agents.forEach(a -> a.startWithCanary(rate, window, NAMESPACE, CLUSTER, galera, dns.ip()));
    }

    /**
     * Starts {@code pxc-probe sidecar} in every Galera node's namespace, finding the agents through
     * {@link #AGENTS_SERVICE}; the caller closes them.
     */
    public List<Sidecar> startSidecars() {
        List<Sidecar> started = new ArrayList<>();
        try {
            for (GaleraNode g : galera) {
                started.add(Sidecar.start(
                        g, g.ns(), NAMESPACE, CLUSTER, AGENTS_SERVICE + ".", dist, run.log("sidecar-" + g.pod())));
            }
        } catch (RuntimeException | Error e) {
            started.forEach(Sidecar::close);
            throw e;
        }
        return started;
    }

    /**
     * A third agent node, in its own namespace on the bridge, with the same configuration as the
     * others (started); the caller closes it, the testbed removes its namespace.
     */
    public Agent extraAgent(Agent.Rate rate) {
        int host = AGENT_HOST + EXTRA_AGENT;
        NetNs ns = NetNs.create(run.nsName("n" + EXTRA_AGENT)).withoutIpv6();
        bridge.attach(ns, host);
        ns.resolvConf(dns.ip());
        Agent a = new Agent(
                "node-" + EXTRA_AGENT,
                ns,
                bridge.ip(host),
                run.dir().resolve("agent-" + EXTRA_AGENT + ".yaml"),
                run.log("agent-" + EXTRA_AGENT),
                dist);
        closeOrder.add(a);
        a.start(rate, NAMESPACE, CLUSTER, galera, dns.ip());
        return a;
    }

    /** Holds back every HTTP answer {@code agent} sends by {@code delay} (its probes are untouched): a slow agent. */
    public Fault slowAnswers(Agent agent, Duration delay) {
        int queue = nextQueue++;
        Daemon d = delayer.start(agent.ns(), queue, delay, run.log("nfq-delay-" + queue));
        return new Fault(delay.toMillis() + " ms added to " + agent.node() + "'s HTTP answers")
                .onClose(d::close)
                .iptables(
                        agent.ns(),
                        "OUTPUT",
                        "-p",
                        "tcp",
                        "--sport",
                        Integer.toString(Agent.PORT),
                        "-j",
                        "NFQUEUE",
                        "--queue-num",
                        Integer.toString(queue),
                        "--queue-bypass");
    }

    /**
     * A backup pod of its own on the bridge: an rsync daemon on 4444 with the modules the donor's
     * {@code wsrep_sst_rsync} pushes to (the SST listener), in a namespace the caller may filter.
     */
    public BackupPod backupPod(Path dir) {
        int host = BACKUP_HOST;
        NetNs ns = NetNs.create(run.nsName("bk")).withoutIpv6();
        bridge.attach(ns, host);
        ns.resolvConf(dns.ip());
        BackupPod b = BackupPod.start(ns, bridge.ip(host), dir, run.log("rsyncd"));
        closeOrder.add(b);
        return b;
    }

    /** garbd from the backup pod, asking {@code donor} for a state transfer into the pod's SST listener. */
    public Garbd garbdSst(BackupPod pod, GaleraNode donor) {
        return Garbd.requestSst(
                pod.ns(),
                CLUSTER + "-pxc",
                galera.stream().map(GaleraNode::ip).toList(),
                donor.pod(),
                "rsync:" + pod.ip() + ":4444/rsync_sst",
                run.log("garbd-" + (garbdRuns++)));
    }

    /** Drops TCP from every Galera node to {@code port} in {@code ns}, as one NetworkPolicy selecting several pods would. */
    public Fault blockBack(String what, List<NetNs> targets, int port) {
        Fault f = new Fault("port " + port + " of " + what + " filtered from every PXC pod");
        for (NetNs ns : targets) {
            galera.forEach(g -> f.iptables(ns, TcpPortRule.rule("INPUT", port, Verdict.DROP, "-s", g.ip())));
        }
        return f;
    }

    /** Drops TCP from every Galera node to {@code port} of the agent node {@code target}: the path back into a backup pod there. */
    public Fault blockBack(Agent target, int port) {
        Fault f = new Fault("port " + port + " of " + target.node() + " filtered from every PXC pod");
        galera.forEach(g -> f.iptables(target.ns(), TcpPortRule.rule("INPUT", port, Verdict.DROP, "-s", g.ip())));
        return f;
    }

    public List<GaleraNode> galera() {
        return galera;
    }

    public List<Agent> agents() {
        return agents;
    }

    public DnsServer dns() {
        return dns;
    }

    public PrometheusApi prometheus() {
        return monitoring.api();
    }

    public Webhook webhook() {
        return webhook;
    }

    public Run run() {
        return run;
    }

    public String podFqdn(GaleraNode g) {
        return g.pod() + "." + CLUSTER + "-pxc." + NAMESPACE + ".svc." + DnsServer.DOMAIN;
    }

    /** An address on the bridge that nobody answers on: the target of a stale record. */
    public String unusedIp() {
        return bridge.ip(99);
    }

    // ---- faults: each returns a Fault that undoes it ----

    /** Drops (filters) TCP to {@code port} of {@code target} from the given agents, as a NetworkPolicy would. */
    public Fault filter(GaleraNode target, int port, List<Agent> from) {
        Fault f = new Fault("port " + port + " of " + target.pod() + " filtered from " + names(from));
        from.forEach(a -> f.iptables(target.ns(), TcpPortRule.rule("INPUT", port, Verdict.DROP, "-s", a.ip())));
        return f;
    }

    /** Refuses TCP to {@code port} of {@code target} from the given agents with a reset. */
    public Fault refuse(GaleraNode target, int port, List<Agent> from) {
        Fault f = new Fault("port " + port + " of " + target.pod() + " refused to " + names(from));
        from.forEach(a -> f.iptables(target.ns(), TcpPortRule.rule("INPUT", port, Verdict.RESET, "-s", a.ip())));
        return f;
    }

    /** Drops {@code port} on every Galera node, seen from one agent node (its own OUTPUT chain). */
    public Fault filterFromNode(Agent node, int port) {
        Fault f = new Fault("port " + port + " of every Galera node filtered from " + node.node());
        galera.forEach(g -> f.iptables(node.ns(), TcpPortRule.rule("OUTPUT", port, Verdict.DROP, "-d", g.ip())));
        return f;
    }

    /** Answers TCP to {@code port} of {@code target} from the given agents with ICMP host-unreachable, as a router without a route would. */
    public Fault unreachable(GaleraNode target, int port, List<Agent> from) {
        Fault f = new Fault(
                "port " + port + " of " + target.pod() + " unreachable (ICMP host-unreachable) from " + names(from));
        from.forEach(
                a -> f.iptables(target.ns(), TcpPortRule.rule("INPUT", port, Verdict.HOST_UNREACHABLE, "-s", a.ip())));
        return f;
    }

    /** Cuts one Galera node off from everyone (all traffic in and out of its eth0). */
    public Fault partition(GaleraNode g) {
        return new Fault(g.pod() + " partitioned")
                .iptables(g.ns(), "INPUT", "-i", "eth0", "-j", "DROP")
                .iptables(g.ns(), "OUTPUT", "-o", "eth0", "-j", "DROP");
    }

    /** Isolates one agent node from every PXC pod; Prometheus and DNS still reach it. */
    public Fault isolate(Agent node) {
        Fault f = new Fault(node.node() + " isolated from the PXC pods");
        galera.forEach(g -> f.iptables(node.ns(), "OUTPUT", "-d", g.ip(), "-j", "DROP"));
        return f;
    }

    /** Points the pod's A record at an address nobody has. */
    public Fault staleDns(GaleraNode g) {
        String fqdn = podFqdn(g);
        dns.pointPodAt(fqdn, unusedIp());
        return new Fault("stale DNS record for " + g.pod()).onClose(() -> dns.pointPodAt(fqdn, g.ip()));
    }

    /** Leaves the pod out of the SRV records of the cluster's service, where the backup picks its donor. */
    public Fault missingSrv(GaleraNode g) {
        dns.srvWithout(g.pod());
        return new Fault("no SRV record for " + g.pod()).onClose(() -> dns.srvWithout(null));
    }

    /** Removes the pod's A record. */
    public Fault missingDns(GaleraNode g) {
        String fqdn = podFqdn(g);
        dns.removePod(fqdn);
        return new Fault("missing DNS record for " + g.pod()).onClose(() -> dns.pointPodAt(fqdn, g.ip()));
    }

    /** Delays every TCP packet {@code g} sends to the agents by {@code delay}. */
    public Fault delay(GaleraNode g, Duration delay) {
        int queue = nextQueue++;
        Daemon d = delayer.start(g.ns(), queue, delay, run.log("nfq-delay-" + queue));
        Fault f =
                new Fault(delay.toMillis() + " ms added to " + g.pod() + "'s packets to the agents").onClose(d::close);
        agents.forEach(a -> f.iptables(
                g.ns(),
                "OUTPUT",
                "-d",
                a.ip(),
                "-p",
                "tcp",
                "-j",
                "NFQUEUE",
                "--queue-num",
                Integer.toString(queue),
                "--queue-bypass"));
        return f;
    }

    /** Stops a Galera node; closing the fault starts it again and waits for Synced. */
    public Fault stop(GaleraNode g) {
        g.stop();
        return new Fault(g.pod() + " stopped").onClose(() -> g.start(false));
    }

    private static String names(List<Agent> agents) {
        return String.join(",", agents.stream().map(Agent::node).toList());
    }

    /** Logs that explain a failure: agents, Galera error logs, Prometheus's alerts. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        agents.forEach(a -> b.append("--- agent ")
                .append(a.node())
                .append('\n')
                .append(a.logTail(30))
                .append('\n'));
        galera.forEach(g -> b.append("--- ")
                .append(g.pod())
                .append(" error log\n")
                .append(Daemon.tail(g.errorLog(), 15))
                .append('\n'));
        if (monitoring != null) {
            b.append(monitoring.logs()).append('\n');
            try {
                b.append("--- Prometheus alerts\n");
                monitoring.api().alerts().forEach(a -> b.append(a).append('\n'));
            } catch (RuntimeException e) {
                b.append("(cannot read alerts: ").append(e).append(")\n");
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (int i = closeOrder.size() - 1; i >= 0; i--) {
            try {
                closeOrder.get(i).close();
            } catch (Exception e) {
                System.err.println("testbed: closing failed: " + e);
            }
        }
        run.end();
    }
}
