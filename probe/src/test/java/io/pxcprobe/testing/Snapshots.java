package io.pxcprobe.testing;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Snapshots and plans of many members, as discovery would produce them, without discovery. */
public final class Snapshots {
    /** Ports per member in the default configuration: gcomm, IST, SST. */
    public static final int PORTS = 3;

    private Snapshots() {}

    /**
     * {@code perCluster} members in each of {@code clusters} clusters c1, c2, ... of namespace db,
     * each with its pod's A name, and one SRV name per cluster.
     */
    public static TargetSnapshot members(int perCluster, int clusters) throws UnknownHostException {
        List<Member> members = new ArrayList<>();
        List<DnsTarget> names = new ArrayList<>();
        for (int c = 1; c <= clusters; c++) {
            String cluster = "c" + c;
            for (int i = 0; i < perCluster; i++) {
                String pod = cluster + "-pxc-" + i;
                InetAddress ip = InetAddress.getByAddress(new byte[] {10, (byte) c, (byte) (i >> 8), (byte) i});
                members.add(new Member("db", cluster, pod, ip, "n" + i, true, Map.of()));
                names.add(new DnsTarget(
                        "db",
                        cluster,
                        pod,
                        NameKind.POD,
                        pod + "." + cluster + "-pxc.db.svc.cluster.local",
                        RecordType.A,
                        DnsExpectation.containsAll(Set.of(ip.getHostAddress()))));
            }
            names.add(new DnsTarget(
                    "db",
                    cluster,
                    "",
                    NameKind.SERVICE,
                    cluster + "-pxc.db.svc.cluster.local",
                    RecordType.SRV,
                    DnsExpectation.equalTo(Set.of())));
        }
        return new TargetSnapshot(members, names, Map.of(), List.of());
    }

    /** The plan of {@code s} with the default ports, one resolver, connect mode, at most {@code maxChecks} checks. */
    public static ProbePlan plan(TargetSnapshot s, int maxChecks) throws Exception {
        AgentConfig c = new ConfigLoader(k -> null).parse("t.yaml", "probes: {dns: {resolvers: ['10.96.0.10']}}");
        return ProbePlan.build(s, c.tcp(), c.dns(), c.dns().resolvers(), m -> TcpMode.CONNECT, maxChecks);
    }
}
