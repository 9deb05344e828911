package io.pxcprobe.discovery.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.Addresses;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterDnsTargetsTest {

    private static PodView pod(String name, String ip, boolean ready) {
        return new PodView(
                "DB", "C1", name, Addresses.parseLiteral(ip).orElseThrow(), "n", ready, false, Map.of(), "C1-pxc");
    }

    @Test
    void noReadyPodMeansNoServiceCheckButTheUnreadyNameStillHoldsEveryPod() {
        List<DnsTarget> t =
                ClusterDnsTargets.of("DB", "C1", List.of(pod("c1-pxc-0", "10.0.0.1", false)), "cluster.local.");
        assertEquals(1, t.size(), t.toString());
        assertEquals(NameKind.UNREADY, t.getFirst().kind());
        assertEquals("c1-pxc-unready.db.svc.cluster.local", t.getFirst().name(), "lower case, no trailing dot");
        assertEquals(
                DnsExpectation.containsAll(Set.of("10.0.0.1")), t.getFirst().expected());
    }

    @Test
    void ipv6PodsAreCheckedWithAaaa() {
        List<DnsTarget> t =
                ClusterDnsTargets.of("db", "c1", List.of(pod("c1-pxc-0", "fd00::1", true)), "cluster.local");
        assertTrue(t.stream().anyMatch(d -> d.kind() == NameKind.POD && d.type() == RecordType.AAAA));
        assertTrue(t.stream()
                .anyMatch(d -> d.kind() == NameKind.SERVICE
                        && d.type() == RecordType.AAAA
                        && d.expected()
                                .equals(DnsExpectation.equalTo(Set.of(Addresses.parseLiteral("fd00::1")
                                        .orElseThrow()
                                        .getHostAddress())))));
        assertTrue(t.stream().noneMatch(d -> d.type() == RecordType.A), "no A check for a v6-only cluster");
    }
}
