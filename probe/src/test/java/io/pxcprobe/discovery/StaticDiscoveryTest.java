package io.pxcprobe.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.ConfigException;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticDiscoveryTest {
    private static final String CLUSTER = """
            discovery:
              static:
                clusters:
                  - namespace: db
                    name: c1
                    %s
                    members:
                      - {pod: c1-pxc-0, address: 10.0.0.1, dnsName: C1-pxc-0.c1-pxc.db.svc.cluster.local.}
                      - {pod: c1-pxc-1, address: 10.0.0.2, dnsName: c1-pxc-1.c1-pxc.db.svc.cluster.local}
            """;

    @Test
    void aServiceNameAddsAnSrvCheckThatMustListEveryMember() throws Exception {
        TargetSnapshot s = snapshot("serviceName: c1-pxc.db.svc.cluster.local");
        List<DnsTarget> srv =
                s.dnsTargets().stream().filter(t -> t.type() == RecordType.SRV).toList();
        assertEquals(1, srv.size());
        assertEquals(NameKind.SERVICE, srv.get(0).kind());
        assertEquals("c1-pxc.db.svc.cluster.local", srv.get(0).name());
        assertEquals(
                DnsExpectation.equalTo(
                        Set.of("c1-pxc-0.c1-pxc.db.svc.cluster.local", "c1-pxc-1.c1-pxc.db.svc.cluster.local")),
                srv.get(0).expected(),
                "as DNS answers carry them: lower case, no final dot");
        assertTrue(
                snapshot("").dnsTargets().stream().noneMatch(t -> t.type() == RecordType.SRV),
                "no serviceName, no SRV");
    }

    @Test
    void aServiceNameNeedsEveryMembersName() {
        String yaml = """
                discovery:
                  static:
                    clusters:
                      - namespace: db
                        name: c1
                        serviceName: c1-pxc.db.svc.cluster.local
                        members:
                          - {pod: c1-pxc-0, address: 10.0.0.1}
                """;
        ConfigException e =
                assertThrows(ConfigException.class, () -> new ConfigLoader(k -> null).parse("t.yaml", yaml));
        assertEquals(
                "t.yaml:6: discovery.static.clusters[0].serviceName: needs a dnsName on every member: the SRV records must list them",
                e.getMessage());
    }

    @Test
    void backupSchedulesOfAStaticClusterAreItsBackupSpecAndABadOneIsAConfigError() throws Exception {
        TargetSnapshot s = snapshot("backupSchedules: [{name: daily, schedule: \"0 0 * * *\", storage: s3}]");
        var spec = s.backups().get("db/c1");
        assertEquals(List.of(new BackupSpec.Schedule("daily", "0 0 * * *", "s3", 0)), spec.schedules());
        assertTrue(snapshot("").backups().isEmpty(), "none declared, none known");
        ConfigException e = assertThrows(
                ConfigException.class, () -> snapshot("backupSchedules: [{name: hourly, schedule: \"@every 1h\"}]"));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "t.yaml:6: discovery.static.clusters[0].backupSchedules[0].schedule: '@every 1h': @every"),
                e.getMessage());
    }

    private static TargetSnapshot snapshot(String serviceLine) throws Exception {
        var config = new ConfigLoader(k -> null).parse("t.yaml", CLUSTER.formatted(serviceLine));
        return StaticDiscovery.toSnapshot(config.staticDiscovery());
    }
}
