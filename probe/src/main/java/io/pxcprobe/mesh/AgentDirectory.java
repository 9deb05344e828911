package io.pxcprobe.mesh;

import io.pxcprobe.config.PeersConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * The agents to ask: this one first, then those listed by address, then every A and AAAA record of
 * {@code peers.dns} (the chart's headless Service of the DaemonSet, which lists each agent pod),
 * at most {@code peers.maxAgents}. The lookup asks the resolvers the DNS checks ask ({@code
 * dns.resolvers}, else the system's), follows the system's search path and never caches: a node
 * that left is gone from the next answer.
 */
public final class AgentDirectory {
    private final PeersConfig peers;
    private final Supplier<InetSocketAddress> self;
    private final LookupSession dns;

    /**
     * @param resolvers the DNS servers to ask; empty for the system's
     * @param self how this agent reaches itself (its HTTP bind address, or loopback when it binds every
     *     address); null in a sidecar, which is no agent
     */
    public AgentDirectory(PeersConfig peers, List<InetSocketAddress> resolvers, Supplier<InetSocketAddress> self) {
        this.peers = peers;
        this.self = self;
        ResolverConfig system = ResolverConfig.getCurrentConfig();
        ExtendedResolver resolver = resolvers.isEmpty()
                ? new ExtendedResolver()
                : new ExtendedResolver(resolvers.stream()
                        .map(a -> (Resolver) new SimpleResolver(a))
                        .toList());
        resolver.setTimeout(peers.timeout());
        this.dns = LookupSession.builder()
                .resolver(resolver)
                .searchPath(system.searchPath())
                .ndots(system.ndots())
                .clearCaches()
                .build();
    }

    /** @param problems why an agent list may be short, for people; empty when nothing went wrong */
    public record Found(List<InetSocketAddress> agents, int leftOut, List<String> problems) {}

    /** Completes within {@code peers.timeout} (and a little): a DNS failure is a problem in the answer, never a failure. */
    public CompletableFuture<Found> find() {
        Set<InetSocketAddress> all = new LinkedHashSet<>();
        InetSocketAddress me = self.get();
        if (me != null) {
            all.add(me);
        }
        all.addAll(peers.addresses());
        if (peers.dnsName() == null) {
            return CompletableFuture.completedFuture(cap(all, List.of()));
        }
        Name name;
        try {
            name = Name.fromString(peers.dnsName());
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(
                    cap(all, List.of("peers.dns " + peers.dnsName() + " is not a DNS name")));
        }
        CompletableFuture<Answer> v4 = lookup(name, Type.A);
        CompletableFuture<Answer> v6 = lookup(name, Type.AAAA);
        return v4.thenCombine(v6, (a, b) -> {
            List<InetSocketAddress> found = new ArrayList<>(a.addresses);
            found.addAll(b.addresses);
            found.sort(Comparator.comparing(ClusterMerge::text));
            all.addAll(found);
            List<String> problems = new ArrayList<>();
            if (a.problem != null && b.problem != null) {
                problems.add("peers.dns " + peers.dnsName() + ": " + a.problem);
            } else if (found.isEmpty()) {
                problems.add("peers.dns " + peers.dnsName() + " lists no agent");
            }
            return cap(all, problems);
        });
    }

    private record Answer(List<InetSocketAddress> addresses, String problem) {}

    private CompletableFuture<Answer> lookup(Name name, int type) {
        CompletableFuture<LookupResult> f;
        try {
            f = dns.lookupAsync(name, type).toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.orTimeout(peers.timeout().toMillis() + 250, TimeUnit.MILLISECONDS)
                .handle((r, e) -> {
                    if (e == null) {
                        List<InetSocketAddress> out = new ArrayList<>();
                        for (Record rec : r.getRecords()) {
                            InetAddress a = rec instanceof ARecord ar
                                    ? ar.getAddress()
                                    : rec instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                            if (a != null) {
                                out.add(new InetSocketAddress(a, peers.port()));
                            }
                        }
                        return new Answer(out, null);
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof NoSuchRRSetException) {
                        return new Answer(List.of(), null);
                    }
                    String why = cause instanceof NoSuchDomainException
                            ? "no such name"
                            : cause instanceof TimeoutException
                                    ? "no DNS answer within " + peers.timeout().toMillis() + " ms"
                                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                    return new Answer(List.of(), why);
                });
    }

    /** Without the record's name, which would otherwise show in every message about the address. */
    private static InetAddress bare(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an A or AAAA record holds 4 or 16 bytes", e);
        }
    }

    private Found cap(Set<InetSocketAddress> all, List<String> problems) {
        List<InetSocketAddress> list = new ArrayList<>(all);
        int left = Math.max(0, list.size() - peers.maxAgents());
        return new Found(List.copyOf(list.subList(0, list.size() - left)), left, problems);
    }
}
