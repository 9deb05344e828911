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
 * endpoints of the cluster DNS service), asked in addition to the configured resolvers.
 */
public record TargetSnapshot(
        List<Member> members,
        List<DnsTarget> dnsTargets,
        Map<String, String> clusterStates,
        List<ResolverSpec> resolvers) {

    public static final TargetSnapshot EMPTY = new TargetSnapshot(List.of(), List.of(), Map.of(), List.of());

    public TargetSnapshot {
        members = List.copyOf(members);
        dnsTargets = List.copyOf(dnsTargets);
        clusterStates = Map.copyOf(clusterStates);
        resolvers = List.copyOf(resolvers);
    }

    /** The union of several sources' snapshots; the first source wins on a duplicate member or name. */
    public static TargetSnapshot merge(List<TargetSnapshot> parts) {
        var members = new LinkedHashMap<String, Member>();
        var names = new LinkedHashMap<String, DnsTarget>();
        var states = new HashMap<String, String>();
        var resolvers = new LinkedHashMap<String, ResolverSpec>();
        for (TargetSnapshot p : parts) {
            p.members.forEach(m -> members.putIfAbsent(m.key(), m));
            p.dnsTargets.forEach(d -> names.putIfAbsent(d.key(), d));
            p.clusterStates.forEach(states::putIfAbsent);
            p.resolvers.forEach(r -> resolvers.putIfAbsent(r.label(), r));
        }
        return new TargetSnapshot(
                new ArrayList<>(members.values()),
                new ArrayList<>(names.values()),
                states,
                new ArrayList<>(resolvers.values()));
    }
}
