package io.pxcprobe.discovery.kubernetes;

import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DNS names of one PXC cluster and what each must answer, given its probed pods (with an
 * address, not terminating). The operator's services: {@code <cluster>-pxc} (headless, Ready pods
 * only, so a pod's own name exists only while it is Ready) and {@code <cluster>-pxc-unready}
 * (publishNotReadyAddresses, every pod).
 *
 * <p>Names that have no correct positive answer are left out rather than checked against
 * "nothing": an unready pod's own name, and the {@code -pxc} service while no pod is Ready
 * (CoreDNS then answers NXDOMAIN or an empty set, which is right, and the outage already shows
 * in the TCP checks and the cluster state).
 */
final class ClusterDnsTargets {

    private ClusterDnsTargets() {}

    static List<DnsTarget> of(String namespace, String cluster, Collection<PodView> pods, String clusterDomain) {
        String service = serviceName(namespace, cluster, clusterDomain);
        var targets = new ArrayList<DnsTarget>();
        var readyV4 = new TreeSet<String>();
        var readyV6 = new TreeSet<String>();
        var readyNames = new TreeSet<String>();
        var allV4 = new TreeSet<String>();
        var allV6 = new TreeSet<String>();
        for (PodView p : pods) {
            String ip = p.address().getHostAddress();
            RecordType type = typeOf(p.address());
            (type == RecordType.A ? allV4 : allV6).add(ip);
            if (p.ready()) {
                (type == RecordType.A ? readyV4 : readyV6).add(ip);
                String podName = podName(p.pod(), service);
                readyNames.add(podName);
                targets.add(new DnsTarget(
                        namespace,
                        cluster,
                        p.pod(),
                        NameKind.POD,
                        podName,
                        type,
                        DnsExpectation.containsAll(Set.of(ip))));
            }
        }
        if (!readyNames.isEmpty()) {
            addAddresses(targets, namespace, cluster, NameKind.SERVICE, service, readyV4, readyV6, true);
            targets.add(new DnsTarget(
                    namespace,
                    cluster,
                    "",
                    NameKind.SERVICE,
                    service,
                    RecordType.SRV,
                    DnsExpectation.equalTo(readyNames)));
        }
        String unready = fqdn(namespace, cluster + "-pxc-unready", clusterDomain);
        addAddresses(targets, namespace, cluster, NameKind.UNREADY, unready, allV4, allV6, false);
        return targets;
    }

    /** {@code <cluster>-pxc.<ns>.svc.<domain>}, lower case as DNS answers carry it. */
    static String serviceName(String namespace, String cluster, String clusterDomain) {
        return fqdn(namespace, cluster + "-pxc", clusterDomain);
    }

    static String podName(String pod, String serviceName) {
        return (pod + "." + serviceName).toLowerCase(Locale.ROOT);
    }

    private static String fqdn(String namespace, String service, String clusterDomain) {
        String domain =
                clusterDomain.endsWith(".") ? clusterDomain.substring(0, clusterDomain.length() - 1) : clusterDomain;
        return (service + "." + namespace + ".svc." + domain).toLowerCase(Locale.ROOT);
    }

    private static void addAddresses(
            List<DnsTarget> targets,
            String namespace,
            String cluster,
            NameKind kind,
            String name,
            Set<String> v4,
            Set<String> v6,
            boolean exact) {
        if (!v4.isEmpty()) {
            targets.add(new DnsTarget(
                    namespace,
                    cluster,
                    "",
                    kind,
                    name,
                    RecordType.A,
                    exact ? DnsExpectation.equalTo(v4) : DnsExpectation.containsAll(v4)));
        }
        if (!v6.isEmpty()) {
            targets.add(new DnsTarget(
                    namespace,
                    cluster,
                    "",
                    kind,
                    name,
                    RecordType.AAAA,
                    exact ? DnsExpectation.equalTo(v6) : DnsExpectation.containsAll(v6)));
        }
    }

    private static RecordType typeOf(InetAddress address) {
        return address instanceof Inet6Address ? RecordType.AAAA : RecordType.A;
    }
}
