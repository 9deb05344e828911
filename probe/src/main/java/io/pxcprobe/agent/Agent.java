package io.pxcprobe.agent;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pxcprobe.agent.ProbeDispatcher.KindProber;
import io.pxcprobe.backup.BackupPaths;
import io.pxcprobe.backup.BackupSchedules;
import io.pxcprobe.backup.BackupVerdict;
import io.pxcprobe.backup.ReverseEvidence;
import io.pxcprobe.canary.CanaryListeners;
import io.pxcprobe.canary.CanarySightings;
import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigException;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.config.SidecarConfig;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.discovery.DiscoverySource;
import io.pxcprobe.discovery.StaticDiscovery;
import io.pxcprobe.http.ClusterEndpoint;
import io.pxcprobe.http.Endpoint;
import io.pxcprobe.http.HealthEndpoint;
import io.pxcprobe.http.HttpLimits;
import io.pxcprobe.http.HttpServer;
import io.pxcprobe.http.IdentityEndpoint;
import io.pxcprobe.http.MetricsEndpoint;
import io.pxcprobe.http.ProbeEndpoint;
import io.pxcprobe.http.TargetsEndpoint;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.log.StateChangeLog;
import io.pxcprobe.mesh.AgentCensus;
import io.pxcprobe.mesh.AgentDirectory;
import io.pxcprobe.mesh.PeerClient;
import io.pxcprobe.metrics.AgentMetrics;
import io.pxcprobe.metrics.BackupMetrics;
import io.pxcprobe.metrics.JvmGcCounters;
import io.pxcprobe.metrics.ProbeMetrics;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.CheckLimit;
import io.pxcprobe.plan.Fleet;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.probe.dns.DnsKind;
import io.pxcprobe.probe.dns.DnsProber;
import io.pxcprobe.probe.dns.SystemResolvers;
import io.pxcprobe.probe.tcp.TcpKind;
import io.pxcprobe.result.ResultFanout;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.schedule.Scheduler;
import io.pxcprobe.sidecar.AgentCanaries;
import io.pxcprobe.state.LatestResults;
import io.pxcprobe.target.TargetSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: discovery feeds snapshots, snapshots become a plan, the scheduler runs the
 * plan's checks through the probers, results flow to metrics, the latest-state store and the log,
 * and HTTP reads them. {@link #close()} stops it all within about a second.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** How often the census counts the agents: nodes come and go on the scale of minutes. */
    private static final Duration CENSUS_PERIOD = Duration.ofSeconds(30);
    /** A loop silent this long, or a timer this late, is stuck: the kubelet may restart the agent. */
    private static final long LIVENESS_STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final AgentOptions options;
    private volatile AgentConfig config;
    private final Transport transport;
    private final TcpMode tcpMode;
    private final MultiThreadIoEventLoopGroup probeGroup;
    private final MultiThreadIoEventLoopGroup httpGroup;
    private final ThreadPoolExecutor scrapeExecutor;
    /** /targets bodies: a large one being read slowly must not hold up a Prometheus scrape. */
    private final ThreadPoolExecutor targetsExecutor;
    /** /cluster: reading the other agents' answers and merging them. */
    private final ThreadPoolExecutor meshExecutor;

    private final PrometheusMeterRegistry meterRegistry;
    private final ProbeMetrics probeMetrics;
    private final Kinds kinds;
    private final LatestResults latest;
    private final ResultFanout results;
    private final AgentMetrics agentMetrics;
    private final Scheduler scheduler;
    private final ProbeDispatcher dispatcher;
    private final TcpProbers tcpProbers;
    private final DnsProber dns;
    private final StaticDiscovery staticDiscovery;
    private final List<DiscoverySource> sources = new ArrayList<>();
    private final Map<String, TargetSnapshot> snapshots = new ConcurrentHashMap<>();
    private volatile List<ResolverSpec> systemResolvers;
    private final HttpServer http;
    /** This node's canary listeners and who reached them; null when the canary is off. */
    private final CanarySightings sightings;

    private final CanaryListeners canaries;
    private final ConfigReloader reloader;
    /** Counts the agents for the probe budget; null in a sidecar or without peers. */
    private final AgentCensus census;
    /** The agents probing the same pods, this one included, as the census last saw them. */
    private volatile Fleet fleet = Fleet.ALONE;

    private volatile boolean planApplied;

    private Agent(AgentConfig config, AgentOptions options) {
        this.options = options;
        this.config = config;
        this.transport = Transport.best();
        this.tcpMode = options.tcpModes().settle(config.tcp().mode());
        this.probeGroup = transport.newGroup(options.probeThreads(), "probe");
        this.httpGroup = transport.newGroup(1, "http");
        this.scrapeExecutor = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), r -> bulk(daemon(r, "scrape")));
        this.targetsExecutor = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), r -> bulk(daemon(r, "targets")));
        this.meshExecutor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4 * config.peers().maxConcurrent()),
                r -> bulk(daemon(r, "mesh")));

        PrometheusRegistry registry = new PrometheusRegistry();
        this.meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
        bindJvmMetrics();
        Labels node = identityLabels(config);
        this.sightings = config.canary().enabled() && config.sidecar().isEmpty()
                ? new CanarySightings(
                        registry,
                        node,
                        List.copyOf(config.canary().ports().keySet()),
                        config.canary().window().toNanos(),
                        System::nanoTime)
                : null;

        this.tcpProbers = new TcpProbers(options.tcpModes(), probeGroup, transport);
        tcpProbers.openFor(modesUsed(config));
        this.dns = new DnsProber();
        List<KindProber<?, ?>> probers = probers();
        this.kinds = ProbeDispatcher.kindsOf(probers);
        this.latest = new LatestResults(kinds);
        this.probeMetrics =
                new ProbeMetrics(registry, node, kinds, config.metrics().histograms());
        if (config.sidecar().isEmpty()) {
            new BackupMetrics(
                    registry, node, this::backupVerdicts, () -> latest.plan().snapshot(), new BackupSchedules());
        }
        this.agentMetrics = new AgentMetrics(registry, node, buildInfo(), kinds.names(), () -> sources, this::inFlight);
        this.results = new ResultFanout(listeners());
        this.dispatcher = new ProbeDispatcher(probers, results);
        EventLoop schedulerLoop = probeGroup.next();
        this.scheduler = new Scheduler(
                schedulerLoop,
                dispatcher::run,
                config.scheduler().maxInFlight(),
                config.scheduler().jitterFraction(),
                agentMetrics,
                config.node() + "/");

        this.systemResolvers = SystemResolvers.current();
        this.staticDiscovery = new StaticDiscovery(config.staticDiscovery());
        sources.addAll(discoverySources());
        warnLeftOutMysqlPorts(config);

        int port = options.httpPortOverride() >= 0
                ? options.httpPortOverride()
                : config.http().port();
        CanaryListeners opened = null;
        try {
            opened = sightings == null
                    ? null
                    : CanaryListeners.open(httpGroup, transport.serverChannel(), config.canary(), sightings);
            this.http = HttpServer.start(
                    httpGroup,
                    transport,
                    new InetSocketAddress(config.http().bind(), port),
                    routes(),
                    HttpLimits.DEFAULTS);
        } catch (Exception e) {
            if (opened != null) {
                opened.close();
            }
            probeGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            httpGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            scrapeExecutor.shutdownNow();
            targetsExecutor.shutdownNow();
            meshExecutor.shutdownNow();
            sources.forEach(DiscoverySource::close);
            throw new IllegalStateException(
                    "cannot listen on " + config.http().bind() + ":" + port + ": " + e.getMessage(), e);
        }
        this.canaries = opened;
        http.counts().register(registry, node);
        for (DiscoverySource s : sources) {
            s.start(snapshot -> onSnapshot(s.name(), snapshot));
        }
        this.census = census();
        this.reloader = options.configFile() == null
                ? null
                : new ConfigReloader(
                        options.configFile(),
                        ConfigLoader.fromEnvironment().withModeCheck(options.tcpModes()::problem),
                        this::onConfig,
                        agentMetrics::configReloaded,
                        options.reloadPeriodMillis());
        LOG.info(
                "pxc-probe {} on node {}: transport {}{}, tcp mode {}, {} discovery source(s): {}",
                Version.current(),
                config.node(),
                transport.label(),
                transport == Transport.NIO ? " (epoll unavailable: " + Transport.epollUnavailabilityCause() + ")" : "",
                tcpMode.label() + options.tcpModes().explanation(),
                sources.size(),
                sources.stream().map(DiscoverySource::name).toList());
    }

    /** Starts an agent; fails only on what the caller must fix (the HTTP port is taken, say). */
    public static Agent start(AgentConfig config, AgentOptions options) {
        return new Agent(config, options);
    }

    public int httpPort() {
        return http.port();
    }

    public TcpMode tcpMode() {
        return tcpMode;
    }

    public LatestResults latest() {
        return latest;
    }

    int inFlight() {
        return scheduler == null ? 0 : scheduler.inFlight();
    }

    /** The kinds of check and the prober of each: a new kind is one more line here. */
    private List<KindProber<?, ?>> probers() {
        return List.of(new KindProber<>(new TcpKind(), tcpProbers), new KindProber<>(new DnsKind(), dns));
    }

    /** Where every result goes. */
    private List<ResultListener> listeners() {
        List<ResultListener> all = new ArrayList<>(List.of(latest, probeMetrics, agentMetrics));
        all.add(new StateChangeLog(config.sidecar().map(SidecarConfig::pod).orElse(config.node()), kinds));
        if (sightings != null) {
            all.add(sightings);
        }
        return all;
    }

    /**
     * The static targets of the configuration first, then the cluster's (Kubernetes); in sidecar
     * mode only the agents' canaries.
     */
    private List<DiscoverySource> discoverySources() {
        if (config.sidecar().isPresent()) {
            return List.of(new AgentCanaries(
                    config.sidecar().get(),
                    dnsServers(),
                    new PeerClient(httpGroup, transport.socketChannel()),
                    probeGroup.next()));
        }
        List<DiscoverySource> all = new ArrayList<>(List.of(staticDiscovery));
        all.addAll(options.extraSources().create(config));
        return all;
    }

    /**
     * The labels every series of this process carries: the node it probes from, or in sidecar mode
     * the PXC pod it probes from and {@code direction="reverse"}.
     */
    private static Labels identityLabels(AgentConfig config) {
        return config.sidecar()
                .map(s -> Labels.of("direction", "reverse", "source_pod", s.pod()))
                .orElse(Labels.of("source_node", config.node()));
    }

    /** A sidecar judges no backup: its targets are the agents, not a cluster. */
    private List<BackupVerdict> backupVerdicts() {
        if (config.sidecar().isPresent()) {
            return List.of();
        }
        return BackupPaths.of(latest.plan(), latest, sightings == null ? ReverseEvidence.NONE : sightings::reached);
    }

    private List<InetSocketAddress> dnsServers() {
        return config.dns().resolvers().stream().map(ResolverSpec::address).toList();
    }

    private Map<String, Endpoint> routes() {
        Map<String, Endpoint> r = new LinkedHashMap<>();
        r.put(
                "/metrics",
                new MetricsEndpoint(meterRegistry.getPrometheusRegistry(), probeMetrics.families(), scrapeExecutor));
        r.put("/healthz", new HealthEndpoint(this::livenessProblems));
        r.put("/readyz", new HealthEndpoint(this::readinessProblems));
        r.put("/targets", new TargetsEndpoint(latest, kinds, config.node(), targetsExecutor, this::backupVerdicts));
        r.put(
                "/probe",
                new ProbeEndpoint(
                        latest::plan,
                        kinds,
                        dispatcher::probe,
                        config.http().probeRatePerSecond(),
                        config.http().probeBurst(),
                        config.http().probeCidrs(),
                        () -> options.tcpModes().settle(config.tcp().mode()),
                        config.node()));
        if (config.sidecar().isPresent()) {
            return r;
        }
        r.put(
                "/identity",
                new IdentityEndpoint(new IdentityEndpoint.Identity(config.node(), podName(), Version.current())));
        r.put(
                "/cluster",
                new ClusterEndpoint(
                        new AgentDirectory(config.peers(), dnsServers(), this::selfAddress),
                        new PeerClient(httpGroup, transport.socketChannel()),
                        config.peers(),
                        meshExecutor,
                        config.node()));
        return r;
    }

    /** The probe budget's agent count, kept by a census of the peers; none without peers or in a sidecar. */
    private AgentCensus census() {
        if (config.sidecar().isPresent() || !config.peers().configured()) {
            return null;
        }
        return new AgentCensus(config.peers(), dnsServers(), selfIp(), CENSUS_PERIOD, f -> {
            fleet = f;
            agentMetrics.agentsCounted(f.count());
            if (planApplied) {
                replan();
            }
        });
    }

    /** This agent's own address among the agents: the pod IP the chart passes, else a specific bind address. */
    private String selfIp() {
        String pod = AgentCensus.ipLiteral(System.getenv("POD_IP"));
        if (pod != null) {
            return pod;
        }
        String bind = AgentCensus.ipLiteral(config.http().bind());
        return bind == null || bind.equals("0.0.0.0") || bind.equals("0:0:0:0:0:0:0:0") ? null : bind;
    }

    /** The agent pod's name as the chart passes it; the node's name outside a pod. */
    private String podName() {
        String pod = System.getenv("POD_NAME");
        return pod == null || pod.isBlank() ? config.node() : pod.trim();
    }

    /** How /cluster asks this agent itself: at its bind address, or loopback when it binds every address. */
    private InetSocketAddress selfAddress() {
        InetSocketAddress bound = new InetSocketAddress(config.http().bind(), http.port());
        return bound.getAddress() != null && bound.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), http.port())
                : bound;
    }

    private List<String> livenessProblems() {
        List<String> p = new ArrayList<>();
        String stalled = scheduler.stalled(LIVENESS_STALL_NANOS);
        if (stalled != null) {
            p.add(stalled);
        }
        return p;
    }

    /** What keeps the agent from being ready (discovery not synced, no plan yet); empty when ready. */
    public List<String> readinessProblems() {
        List<String> p = new ArrayList<>();
        for (DiscoverySource s : sources) {
            var st = s.status();
            if (!st.synced()) {
                p.add("discovery " + s.name() + " not synced yet" + (st.problem() == null ? "" : ": " + st.problem()));
            }
        }
        if (!planApplied) {
            p.add("no probe plan yet");
        }
        return p;
    }

    private void onSnapshot(String source, TargetSnapshot snapshot) {
        snapshots.put(source, snapshot);
        replan();
    }

    /**
     * Applies a re-read configuration whole or not at all: every mode it names gets its prober
     * (opened now if need be) before any of it is in force. The loader has already refused modes
     * this process cannot run, so what is left to fail is opening the SYN prober.
     */
    private void onConfig(AgentConfig next) throws ConfigException {
        try {
            tcpProbers.openFor(modesUsed(next));
        } catch (RuntimeException e) {
            throw new ConfigException(options.configFile() + ": probes.tcp: " + e.getMessage());
        }
        if (!next.sameStartupSettings(config)) {
            LOG.warn(
                    "node, http, log, scheduler, kubernetes and peers settings change only with a restart; the rest is applied now");
        }
        config = next;
        warnLeftOutMysqlPorts(next);
        systemResolvers = SystemResolvers.current();
        staticDiscovery.update(next.staticDiscovery());
    }

    /** Says once per configuration which MySQL ports {@code auto} leaves out for want of syn mode. */
    private void warnLeftOutMysqlPorts(AgentConfig cfg) {
        List<PortSpec> probed =
                ProbePlan.probedPorts(cfg.tcp(), m -> options.tcpModes().settle(m));
        List<String> left = cfg.tcp().ports().stream()
                .filter(p -> !probed.contains(p))
                .map(p -> p.name() + " (" + p.port() + ")")
                .toList();
        if (!left.isEmpty()) {
            LOG.warn(
                    "not probing {}: MySQL ports are probed only in syn mode, and auto settled to connect{}",
                    left,
                    options.tcpModes().explanation());
        }
    }

    /** The effective TCP modes a configuration runs: its ports' and the one ad hoc {@code /probe?address=} uses. */
    private Set<TcpMode> modesUsed(AgentConfig cfg) {
        Set<TcpMode> modes = EnumSet.of(options.tcpModes().settle(cfg.tcp().mode()));
        cfg.tcp().ports().forEach(p -> modes.add(options.tcpModes().settle(p.mode())));
        return modes;
    }

    /** The leftOut of the plan in force, to log a change of it once. */
    private int checksLeftOut;

    /** Builds the plan from every source's latest snapshot and puts it in force; runs on each snapshot and reload. */
    private synchronized void replan() {
        ProbePlan plan;
        try {
            plan = plan(config);
        } catch (RuntimeException e) {
            // the configuration in force was checked whole, so this is a bug: keep the plan in force
            LOG.error("probe plan not rebuilt, keeping the one in force", e);
            return;
        }
        logCheckLimit(plan);
        logUnplacedSampling(config, fleet);
        results.onPlan(plan);
        scheduler.apply(plan.allChecks()).join();
        dns.retainResolversOf(plan.dnsChecks());
        planApplied = true;
        LOG.debug("plan: checks by kind {}", plan.checksByKind());
    }

    /** Whether the last plan had to probe every sampled path for want of this agent's own address. */
    private boolean samplingUnplaced;

    /**
     * Once per change: sampling that cannot find this agent among the agents probes every path (the
     * safe side, but the load sampling was meant to save), which the operator must hear about.
     */
    private void logUnplacedSampling(AgentConfig cfg, Fleet f) {
        boolean unplaced = !cfg.tcp().sources().isEmpty() && f.count() > 1 && !f.placed();
        if (unplaced && !samplingUnplaced) {
            LOG.warn(
                    "sampling ({}) probes every path: this agent's own address ({}) is not among the {} agents found;"
                            + " set POD_IP (the chart does) or a specific http.bind",
                    cfg.tcp().sources(),
                    f.self() == null ? "unknown" : f.self(),
                    f.members().size());
        }
        samplingUnplaced = unplaced;
    }

    /** Once per change: a limit reached leaves paths unwatched, which the operator must hear about. */
    private void logCheckLimit(ProbePlan plan) {
        if (plan.leftOut() == checksLeftOut) {
            return;
        }
        if (plan.leftOut() > 0) {
            LOG.warn(
                    "check limit of {} reached: {} of {} checks left out (members past the first in namespace/cluster/pod "
                            + "order, then DNS checks); raise the container's memory limit or set scheduler.maxChecks",
                    plan.maxChecks(),
                    plan.leftOut(),
                    plan.allChecks().size() + plan.leftOut());
        } else {
            LOG.info(
                    "all {} checks fit under the check limit of {} again",
                    plan.allChecks().size(),
                    plan.maxChecks());
        }
        checksLeftOut = plan.leftOut();
    }

    private ProbePlan plan(AgentConfig cfg) {
        List<TargetSnapshot> parts = new ArrayList<>();
        for (DiscoverySource s : sources) {
            TargetSnapshot snap = snapshots.get(s.name());
            if (snap != null) {
                parts.add(snap);
            }
        }
        TargetSnapshot merged = TargetSnapshot.merge(parts);
        List<ResolverSpec> resolvers = new ArrayList<>(
                cfg.dns().resolvers().isEmpty() ? systemResolvers : cfg.dns().resolvers());
        merged.resolvers().stream()
                .filter(r -> resolvers.stream().noneMatch(x -> x.label().equals(r.label())))
                .forEach(resolvers::add);
        int maxChecks = cfg.scheduler().maxChecks() > 0 ? cfg.scheduler().maxChecks() : CheckLimit.forThisProcess();
        return ProbePlan.build(
                merged, cfg.tcp(), cfg.dns(), resolvers, m -> options.tcpModes().settle(m), maxChecks, fleet);
    }

    private void bindJvmMetrics() {
        // exported in nanoseconds as process_cpu_time_ns_total: not a base unit; process_cpu_usage remains
        meterRegistry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        new JvmMemoryMetrics().bindTo(meterRegistry);
        new JvmGcCounters().bindTo(meterRegistry);
        new JvmThreadMetrics().bindTo(meterRegistry);
        new ProcessorMetrics().bindTo(meterRegistry);
        new FileDescriptorMetrics().bindTo(meterRegistry);
        new UptimeMetrics().bindTo(meterRegistry);
    }

    private Map<String, String> buildInfo() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", Version.current());
        m.put("java_version", Runtime.version().feature() + "");
        m.put("transport", transport.label());
        m.put("tcp_mode", tcpMode.label());
        return m;
    }

    /**
     * Rendering a scrape is bulk work: 10,000 targets take most of a core for about a second.
     * Beside the event loop on a small node it would delay probes, so the thread runs at the
     * lowest priority, which -XX:ThreadPriorityPolicy=1 (set in the runtime image) makes nice 4 on Linux.
     * Lowering one's own priority needs no privilege.
     */
    private static Thread bulk(Thread t) {
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (census != null) {
            census.close();
        }
        if (reloader != null) {
            reloader.close();
        }
        sources.forEach(DiscoverySource::close);
        scheduler.close();
        http.close();
        if (canaries != null) {
            canaries.close();
        }
        dispatcher.close();
        var a = probeGroup.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS);
        var b = httpGroup.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS);
        a.awaitUninterruptibly(1, TimeUnit.SECONDS);
        b.awaitUninterruptibly(1, TimeUnit.SECONDS);
        scrapeExecutor.shutdownNow();
        targetsExecutor.shutdownNow();
        meshExecutor.shutdownNow();
        meterRegistry.close();
        LOG.info("stopped");
    }
}
