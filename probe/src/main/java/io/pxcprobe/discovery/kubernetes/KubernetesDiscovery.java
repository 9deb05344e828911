package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.pxcprobe.config.KubernetesDiscoveryConfig;
import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.discovery.DiscoverySource;
import io.pxcprobe.discovery.DiscoveryStatus;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.NodeView;
import io.pxcprobe.target.TargetSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PXC members from the Kubernetes API: one informer on the selected pods (all namespaces, or one
 * per configured namespace), optionally one on PerconaXtraDBCluster objects and one on the
 * EndpointSlices of the cluster DNS service; with {@code requireOperatorOwner}, one on StatefulSets,
 * so that only pods the operator made are probed ({@link OperatorOwnership}). No periodic resync: after the initial list only
 * watch events arrive; fabric8 re-lists by itself after a 410 Gone.
 *
 * <p>Every informer callback is handed to one thread, which alone holds the state and publishes
 * snapshots; a burst of events (the initial list, a rollout) yields one snapshot.
 */
public final class KubernetesDiscovery implements DiscoverySource {

    private static final Logger log = LoggerFactory.getLogger(KubernetesDiscovery.class);
    private static final long HEALTH_CHECK_MILLIS = 250;
    private static final long WATCH_GRACE_MILLIS = 3_000;

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final KubernetesDiscoveryConfig config;
    private final String nodeName;
    private final ScheduledExecutorService loop;
    private final SyncHealth health = new SyncHealth();
    private volatile DiscoveryStatus status = health.status();

    // state below: the loop thread only
    private final Map<String, PodView> pods = new HashMap<>();
    private final Map<String, String> clusterOfStatefulSet = new HashMap<>();
    /** Pods refused as not the operator's, each logged once while it stays refused. */
    private final Set<String> refusedPods = new HashSet<>();

    private final Map<String, String> clusterStates = new TreeMap<>();
    private final Map<String, BackupSpec> backups = new TreeMap<>();
    /** The agent's own node, null until (or unless) its watch delivers it. */
    private NodeView node;

    private final Map<String, List<ResolverSpec>> resolversBySlice = new TreeMap<>();
    /** The watches a snapshot needs: pods, and StatefulSets where ownership is checked. */
    private final List<Watched<? extends HasMetadata>> requiredWatches = new CopyOnWriteArrayList<>();

    private final List<Watched<GenericKubernetesResource>> optionalWatches = new CopyOnWriteArrayList<>();
    private Consumer<TargetSnapshot> onSnapshot;
    private TargetSnapshot published;
    private boolean publishPending;
    private boolean listed;
    private boolean started;

    /** Uses a ready client, which stays the caller's to close. */
    public KubernetesDiscovery(KubernetesClient client, KubernetesDiscoveryConfig config) {
        this(client, false, config, null);
    }

    /** @param nodeName the agent's node, whose labels and taints backup placements are judged against; null: none */
    public KubernetesDiscovery(KubernetesClient client, KubernetesDiscoveryConfig config, String nodeName) {
        this(client, false, config, nodeName);
    }

    private KubernetesDiscovery(
            KubernetesClient client, boolean ownsClient, KubernetesDiscoveryConfig config, String nodeName) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.config = config;
        this.nodeName = nodeName;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pxc-probe-k8s-discovery");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds its own client: the kubeconfig given on the command line, else the config file's,
     * else the in-cluster service account, {@code KUBECONFIG} or {@code ~/.kube/config}.
     */
    public static KubernetesDiscovery create(
            KubernetesDiscoveryConfig config, String nodeName, String kubeconfigOverride) {
        return new KubernetesDiscovery(
                KubernetesClients.create(config.kubeconfig(), kubeconfigOverride), true, config, nodeName);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public DiscoveryStatus status() {
        return status;
    }

    @Override
    public synchronized void start(Consumer<TargetSnapshot> onSnapshot) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        this.onSnapshot = onSnapshot;
        for (String ns : namespacesOrAll()) {
            String where = ns == null ? "all namespaces" : "namespace " + ns;
            var source =
                    ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns);
            Watched<Pod> w = new Watched<>("pods in " + where, source.withLabelSelector(config.podSelector()));
            w.informer.itemStore(new ReducedStateItemStore<>(
                    ReducedStateItemStore.NAME_KEY_STATE,
                    Pod.class,
                    client.getKubernetesSerialization(),
                    "metadata.resourceVersion"));
            w.informer.addEventHandler(new Handler<>(w, PodView::from, pods::put, pods::remove));
            w.informer.exceptionHandler((isStarted, t) -> {
                w.fail(t);
                loop.execute(this::checkHealth);
                return true;
            });
            requiredWatches.add(w);
            if (config.requireOperatorOwner()) {
                var sets = ns == null
                        ? client.apps().statefulSets().inAnyNamespace()
                        : client.apps().statefulSets().inNamespace(ns);
                Watched<StatefulSet> s = new Watched<>("StatefulSets in " + where, sets);
                s.informer.itemStore(new ReducedStateItemStore<>(
                        ReducedStateItemStore.NAME_KEY_STATE,
                        StatefulSet.class,
                        client.getKubernetesSerialization(),
                        "metadata.resourceVersion"));
                s.informer.addEventHandler(new Handler<>(
                        s,
                        set -> Optional.of(OperatorOwnership.controllingCluster(set)),
                        clusterOfStatefulSet::put,
                        clusterOfStatefulSet::remove));
                s.informer.exceptionHandler((isStarted, t) -> {
                    s.fail(t);
                    loop.execute(this::checkHealth);
                    return true;
                });
                requiredWatches.add(s);
            }
        }
        if (config.watchClusters()) {
            for (String ns : namespacesOrAll()) {
                var crs = client.genericKubernetesResources(ClusterStates.CONTEXT);
                watchOptional(
                        "PerconaXtraDBCluster objects in " + (ns == null ? "all namespaces" : "namespace " + ns),
                        ns == null ? crs.inAnyNamespace() : crs.inNamespace(ns),
                        cr -> Optional.of(new ClusterInfo(
                                ClusterStates.stateOf(cr), BackupSpecs.of(cr, client.getKubernetesSerialization()))),
                        (key, info) -> {
                            clusterStates.put(key, info.state());
                            backups.put(key, info.backup());
                        },
                        key -> {
                            clusterStates.remove(key);
                            backups.remove(key);
                        },
                        "cluster states and backup schedules are not exported");
            }
        }
        if (nodeName != null && !nodeName.isBlank()) {
            watchOptional(
                    "Node " + nodeName,
                    client.genericKubernetesResources(NodeViews.CONTEXT).withField("metadata.name", nodeName),
                    n -> Optional.of(NodeViews.of(n, client.getKubernetesSerialization())),
                    (key, view) -> node = view,
                    key -> node = null,
                    "backup placements are not judged: every node counts as able to run the backup");
        }
        if (config.dnsService() != null) {
            String[] nsName = config.dnsService().split("/", 2);
            watchOptional(
                    "EndpointSlices of service " + config.dnsService(),
                    client.genericKubernetesResources(DnsEndpoints.CONTEXT)
                            .inNamespace(nsName[0])
                            .withLabel(DnsEndpoints.SERVICE_NAME_LABEL, nsName[1]),
                    slice -> Optional.of(DnsEndpoints.resolversOf(slice)),
                    resolversBySlice::put,
                    resolversBySlice::remove,
                    "its endpoints are not queried one by one");
        }
        requiredWatches.forEach(w -> w.informer.start());
        optionalWatches.forEach(w -> w.informer.start());
        loop.scheduleWithFixedDelay(this::checkHealth, HEALTH_CHECK_MILLIS, HEALTH_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        requiredWatches.forEach(w -> w.informer.stop());
        optionalWatches.forEach(w -> w.informer.stop());
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsClient) {
            client.close();
        }
    }

    private List<String> namespacesOrAll() {
        var out = new ArrayList<String>(config.namespaces());
        if (out.isEmpty()) {
            out.add(null);
        }
        return out;
    }

    /**
     * An optional watch stops for good, with one log line, when the API answers 403 (RBAC) or 404
     * (no such CRD or API): retrying would not change that and would log on every retry. Other
     * failures are retried.
     */
    private <V> void watchOptional(
            String what,
            Informable<GenericKubernetesResource> source,
            Function<GenericKubernetesResource, Optional<V>> reduce,
            BiConsumer<String, V> put,
            Consumer<String> remove,
            String consequence) {
        Watched<GenericKubernetesResource> w = new Watched<>(what, source);
        w.informer.addEventHandler(new Handler<>(w, reduce, put, remove));
        w.informer.exceptionHandler((isStarted, t) -> {
            int code = Failures.httpCode(t);
            if (code == 403 || code == 404) {
                log.info(
                        "Not watching {}: {}; {}",
                        what,
                        code == 403 ? "forbidden by RBAC (403)" : "not served by the API server (404)",
                        consequence);
                loop.execute(() -> {
                    optionalWatches.remove(w);
                    changed();
                });
                return false;
            }
            w.fail(t);
            return true;
        });
        optionalWatches.add(w);
    }

    /** What one PerconaXtraDBCluster object gives: its state and its backups. */
    private record ClusterInfo(String state, BackupSpec backup) {}

    private void changed() {
        if (!listed || publishPending) {
            return;
        }
        publishPending = true;
        loop.execute(this::publish);
    }

    private void publish() {
        publishPending = false;
        var resolvers = new LinkedHashMap<String, ResolverSpec>();
        resolversBySlice.values().forEach(list -> list.forEach(r -> resolvers.putIfAbsent(r.label(), r)));
        TargetSnapshot snapshot = SnapshotAssembler.assemble(
                acceptedPods(),
                clusterStates,
                new ArrayList<>(resolvers.values()),
                config.clusterDomain(),
                backups,
                node);
        if (snapshot.equals(published)) {
            return;
        }
        published = snapshot;
        try {
            onSnapshot.accept(snapshot);
        } catch (RuntimeException e) {
            log.error("Snapshot consumer failed", e);
        }
    }

    /** The pods to probe: all, or with {@code requireOperatorOwner} those the operator made; an impostor is logged once. */
    private List<PodView> acceptedPods() {
        refusedPods.retainAll(pods.keySet());
        List<PodView> accepted = new ArrayList<>();
        for (PodView p : pods.values()) {
            String problem = ownershipProblem(p);
            if (problem == null) {
                accepted.add(p);
                refusedPods.remove(p.key());
            } else if (!OperatorOwnership.awaitingStatefulSet(p, clusterOfStatefulSet) && refusedPods.add(p.key())) {
                log.warn(
                        "Not probing pod {} labelled as PXC cluster {}: {} (the operator's pods are controlled by a "
                                + "StatefulSet that a PerconaXtraDBCluster controls; discovery.kubernetes.requireOperatorOwner: "
                                + "false accepts every labelled pod)",
                        p.key(),
                        p.cluster(),
                        problem);
            }
        }
        return accepted;
    }

    private void onListed() {
        if (!listed && requiredWatches.stream().allMatch(w -> w.listed)) {
            listed = true;
            changed();
        }
        checkHealth();
    }

    private void checkHealth() {
        long now = System.currentTimeMillis();
        if (!status.synced()) {
            if (listed && requiredWatches.stream().allMatch(w -> w.informer.isWatching())) {
                status = health.markSynced(now, memberCount());
            } else {
                String cause = requiredWatches.stream()
                        .map(w -> w.lastError)
                        .filter(e -> e != null)
                        .findFirst()
                        .orElse(null);
                status = health.observe(false, cause, now, memberCount());
            }
            return;
        }
        boolean watching = true;
        String cause = null;
        for (Watched<? extends HasMetadata> w : requiredWatches) {
            if (!w.inSync(now)) {
                watching = false;
                if (cause == null) {
                    cause = w.problem();
                }
            }
        }
        status = health.observe(watching, cause, now, memberCount());
    }

    private int memberCount() {
        return (int) pods.values().stream()
                .filter(PodView::probed)
                .filter(p -> ownershipProblem(p) == null)
                .count();
    }

    /** Why {@code p} is not to be probed as the operator's pod, or null (always null with the check off). */
    private String ownershipProblem(PodView p) {
        return config.requireOperatorOwner() ? OperatorOwnership.problem(p, clusterOfStatefulSet) : null;
    }

    /** One informer and what is known about its health; the informer itself is fabric8's. */
    private static final class Watched<T extends HasMetadata> {
        final String what;
        final SharedIndexInformer<T> informer;
        volatile boolean listed;
        volatile String lastError;
        long notWatchingSince;

        Watched(String what, Informable<T> source) {
            this.what = what;
            this.informer = source.runnableInformer(0);
        }

        void fail(Throwable t) {
            lastError = what + ": " + Failures.describe(t);
        }

        /**
         * Watching, or only briefly not: after each of the watch's periodic restarts the new
         * watch takes a moment to open. A recorded failure counts at once.
         */
        boolean inSync(long nowMillis) {
            if (!listed) {
                return false;
            }
            if (informer.isWatching()) {
                lastError = null;
                notWatchingSince = 0;
                return true;
            }
            if (notWatchingSince == 0) {
                notWatchingSince = nowMillis;
            }
            return lastError == null && nowMillis - notWatchingSince < WATCH_GRACE_MILLIS;
        }

        String problem() {
            String e = lastError;
            return e != null ? e : what + ": watch not established";
        }
    }

    /**
     * Turns callbacks into tasks on the discovery thread. The object is reduced to what
     * discovery needs right here, on the informer's thread, so that no Pod outlives the callback.
     */
    private final class Handler<T extends HasMetadata, V> implements ResourceEventHandler<T> {
        private final Watched<T> watch;
        private final Function<T, Optional<V>> reduce;
        private final BiConsumer<String, V> put;
        private final Consumer<String> remove;

        Handler(Watched<T> watch, Function<T, Optional<V>> reduce, BiConsumer<String, V> put, Consumer<String> remove) {
            this.watch = watch;
            this.reduce = reduce;
            this.put = put;
            this.remove = remove;
        }

        @Override
        public void onAdd(T obj) {
            upsert(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            upsert(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            String key = keyOf(obj);
            loop.execute(() -> {
                remove.accept(key);
                changed();
            });
        }

        @Override
        public void onList(String resourceVersion, boolean initial) {
            watch.listed = true;
            loop.execute(KubernetesDiscovery.this::onListed);
        }

        private void upsert(T obj) {
            String key = keyOf(obj);
            Optional<V> view = reduce.apply(obj);
            loop.execute(() -> {
                view.ifPresentOrElse(v -> put.accept(key, v), () -> remove.accept(key));
                changed();
            });
        }

        private static String keyOf(HasMetadata obj) {
            return obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
        }
    }
}
