package io.pxcprobe.discovery.kubernetes;

import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NodeView;
import io.pxcprobe.target.TargetSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns what the watches know into one complete, deterministically ordered snapshot. */
final class SnapshotAssembler {

    private SnapshotAssembler() {}

    /**
     * Pods without an address and terminating pods are left out: the first have nothing to probe
     * yet, the second are shutting down on purpose (mysqld closes its ports, the endpoints
     * controller has already dropped them from {@code <cluster>-pxc}), so probing them would only
     * raise alarms about a deliberate stop. A replacement pod appears as soon as it has an IP.
     */
    static TargetSnapshot assemble(
            Collection<PodView> pods,
            Map<String, String> clusterStates,
            List<ResolverSpec> resolvers,
            String clusterDomain,
            Map<String, BackupSpec> backups,
            NodeView node) {
        var byCluster = new TreeMap<String, List<PodView>>();
        pods.stream()
                .filter(PodView::probed)
                .sorted(Comparator.comparing(PodView::key))
                .forEach(p -> byCluster
                        .computeIfAbsent(p.namespace() + "/" + p.cluster(), k -> new ArrayList<>())
                        .add(p));
        var members = new ArrayList<Member>();
        var dns = new ArrayList<DnsTarget>();
        byCluster.values().forEach(clusterPods -> {
            PodView first = clusterPods.getFirst();
            clusterPods.forEach(p -> members.add(
                    new Member(p.namespace(), p.cluster(), p.pod(), p.address(), p.node(), p.ready(), p.ports())));
            dns.addAll(ClusterDnsTargets.of(first.namespace(), first.cluster(), clusterPods, clusterDomain));
        });
        return new TargetSnapshot(members, dns, clusterStates, resolvers, backups, node);
    }
}
