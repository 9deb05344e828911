package io.pxcprobe.target;

import io.pxcprobe.config.ResolverSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of everything one discovery source knows: the members to check over TCP, the
 * DNS names to resolve, the state of each cluster where the source knows it (key
 * {@code namespace/cluster}, value e.g. {@code ready}), and DNS servers found by discovery (the
 * endpoints of the cluster DNS service), asked in addition to the configured resolvers; and for
 * the backup verdict, each cluster's backup spec (key {@code namespace/cluster}) and the agent's own
 * node ({@code node} null where the source does not know it).
 */
public record TargetSnapshot(
        List<Member> members,
        List<DnsTarget> dnsTargets,
        Map<String, String> clusterStates,
        List<ResolverSpec> resolvers,
        Map<String, BackupSpec> backups,
        NodeView node) {

    public static final TargetSnapshot EMPTY = new TargetSnapshot(List.of(), List.of(), Map.of(), List.of());

    /** A snapshot that knows no backup specs and not the agent's node. */
    public TargetSnapshot(
            List<Member> members,
            List<DnsTarget> dnsTargets,
            Map<String, String> clusterStates,
            List<ResolverSpec> resolvers) {
        this(members, dnsTargets, clusterStates, resolvers, Map.of(), null);
    }

    public TargetSnapshot {
        members = List.copyOf(members);
        dnsTargets = List.copyOf(dnsTargets);
        clusterStates = Map.copyOf(clusterStates);
        resolvers = List.copyOf(resolvers);
        backups = Map.copyOf(backups);
    }

    /** The union of several sources' snapshots; the first source wins on a duplicate member or name. */
    public static TargetSnapshot merge(List<TargetSnapshot> parts) {
        var members = new LinkedHashMap<String, Member>();
        var names = new LinkedHashMap<String, DnsTarget>();
        var states = new HashMap<String, String>();
        var resolvers = new LinkedHashMap<String, ResolverSpec>();
        var backups = new HashMap<String, BackupSpec>();
        NodeView node = null;
        for (TargetSnapshot p : parts) {
            p.backups.forEach(backups::putIfAbsent);
            node = node == null ? p.node : node;
            p.members.forEach(m -> members.putIfAbsent(m.key(), m));
            p.dnsTargets.forEach(d -> names.putIfAbsent(d.key(), d));
            p.clusterStates.forEach(states::putIfAbsent);
            p.resolvers.forEach(r -> resolvers.putIfAbsent(r.label(), r));
        }
        return new TargetSnapshot(
                new ArrayList<>(members.values()),
                new ArrayList<>(names.values()),
                states,
                new ArrayList<>(resolvers.values()),
                backups,
                node);
    }
}
