package io.pxcprobe.sidecar;

import io.netty.channel.EventLoop;
import io.pxcprobe.config.SidecarConfig;
import io.pxcprobe.discovery.DiscoverySource;
import io.pxcprobe.discovery.DiscoveryStatus;
import io.pxcprobe.mesh.AgentDirectory;
import io.pxcprobe.mesh.Fanout;
import io.pxcprobe.mesh.PeerClient;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's discovery: every agent the DNS name (or the address list) gives becomes a target
 * whose ports are the canaries. Each agent is asked once for its node and pod name ({@code
 * /identity}), which label the path; until it answers, its address stands in for the pod name and
 * the node is empty. Looks again every {@code refresh}; an agent gone from DNS is gone from the next
 * snapshot, and a failed lookup keeps the last one.
 */
public final class AgentCanaries implements DiscoverySource {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCanaries.class);
    /** An identity answer is a few dozen bytes; anything larger is not an agent. */
    private static final int MAX_IDENTITY_BYTES = 4096;

    private final SidecarConfig config;
    private final AgentDirectory directory;
    private final Fanout<Named> identities;
    private final EventLoop loop;
    /** Known agents by HTTP address; bounded by {@code agents.maxAgents}. */
    private final Map<InetSocketAddress, AgentIdentities.Known> known = new LinkedHashMap<>();

    private volatile Consumer<TargetSnapshot> sink = s -> {};
    private volatile DiscoveryStatus status = new DiscoveryStatus(false, false, 0, "agents not looked up yet");
    private volatile ScheduledFuture<?> timer;
    private volatile boolean closed;
    private TargetSnapshot published;

    private record Named(InetSocketAddress address, Optional<AgentIdentities.Known> identity) {}

    public AgentCanaries(SidecarConfig config, List<InetSocketAddress> resolvers, PeerClient client, EventLoop loop) {
        this.config = config;
        this.loop = loop;
        this.directory = new AgentDirectory(config.agents(), resolvers, () -> null);
        this.identities = new Fanout<>(
                (address, deadline) -> client.get(address, "/identity", deadline, MAX_IDENTITY_BYTES)
                        .thenApply(f -> new Named(address, AgentIdentities.parse(f))),
                (address, why) -> new Named(address, Optional.empty()),
                config.agents().maxConcurrent(),
                config.agents().timeout());
    }

    @Override
    public String name() {
        return "agents";
    }

    @Override
    public void start(Consumer<TargetSnapshot> onSnapshot) {
        sink = onSnapshot;
        timer = loop.scheduleWithFixedDelay(this::refresh, 0, config.refresh().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round; the next starts a refresh after this one is scheduled, so rounds may overlap only if one takes longer. */
    private void refresh() {
        if (closed) {
            return;
        }
        directory
                .find()
                .thenCompose(found -> {
                    List<InetSocketAddress> unnamed = new ArrayList<>();
                    synchronized (known) {
                        known.keySet().retainAll(found.agents());
                        found.agents().stream()
                                .filter(a -> !known.containsKey(a))
                                .forEach(unnamed::add);
                    }
                    return identities.ask(unnamed).thenAccept(named -> publish(found, named));
                })
                .exceptionally(e -> {
                    LOG.warn("looking up the agents failed", e);
                    status = new DiscoveryStatus(
                            false, status.synced(), status.lastSyncEpochMillis(), String.valueOf(e));
                    return null;
                });
    }

    private synchronized void publish(AgentDirectory.Found found, List<Named> named) {
        List<Member> members = new ArrayList<>();
        synchronized (known) {
            named.forEach(n -> n.identity().ifPresent(id -> known.put(n.address(), id)));
            for (InetSocketAddress a : found.agents()) {
                members.add(member(a.getAddress(), known.get(a)));
            }
        }
        String problem = found.problems().isEmpty() ? null : String.join("; ", found.problems());
        boolean listed = !found.agents().isEmpty();
        long now = System.currentTimeMillis();
        status = listed
                ? new DiscoveryStatus(problem == null, true, now, problem)
                : new DiscoveryStatus(false, status.synced(), status.lastSyncEpochMillis(), problem);
        if (!listed && published != null) {
            return; // a failed or empty lookup keeps the agents last seen
        }
        TargetSnapshot next = new TargetSnapshot(members, List.of(), Map.of(), List.of());
        if (!next.equals(published) && !closed) {
            published = next;
            sink.accept(next);
        }
    }

    private Member member(InetAddress address, AgentIdentities.Known id) {
        String pod = id == null ? "agent-" + address.getHostAddress() : id.pod();
        String node = id == null ? "" : id.node();
        return new Member(config.namespace(), config.cluster(), pod, address, node, true, Map.of());
    }

    @Override
    public DiscoveryStatus status() {
        return status;
    }

    @Override
    public void close() {
        closed = true;
        sink = s -> {};
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
