package io.pxcprobe.discovery;

import io.pxcprobe.config.StaticDiscoveryConfig;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.NameKind;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Members listed in the configuration file. Each member with a {@code dnsName} gets an A lookup
 * whose answer must contain the member's address (anything else is stale DNS).
 */
public final class StaticDiscovery implements DiscoverySource {
    private volatile Consumer<TargetSnapshot> sink = s -> {};
    private volatile TargetSnapshot current = TargetSnapshot.EMPTY;
    private volatile long lastSync;

    public StaticDiscovery(StaticDiscoveryConfig config) {
        current = toSnapshot(config);
        lastSync = System.currentTimeMillis();
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public void start(Consumer<TargetSnapshot> onSnapshot) {
        sink = onSnapshot;
        onSnapshot.accept(current);
    }

    /** Takes a re-read configuration; called by the reloader. */
    public synchronized void update(StaticDiscoveryConfig config) {
        current = toSnapshot(config);
        lastSync = System.currentTimeMillis();
        sink.accept(current);
    }

    @Override
    public DiscoveryStatus status() {
        return new DiscoveryStatus(true, true, lastSync, null);
    }

    @Override
    public void close() {
        sink = s -> {};
    }

    static TargetSnapshot toSnapshot(StaticDiscoveryConfig config) {
        List<Member> members = new ArrayList<>();
        List<DnsTarget> names = new ArrayList<>();
        Map<String, BackupSpec> backups = new HashMap<>();
        for (var c : config.clusters()) {
            if (!c.backupSchedules().isEmpty()) {
                // outside Kubernetes there is no storage placement: every node may run the backup
                backups.put(
                        c.namespace() + "/" + c.name(),
                        new BackupSpec(
                                c.backupSchedules().stream()
                                        .map(b -> new BackupSpec.Schedule(b.name(), b.schedule(), b.storage(), 0))
                                        .toList(),
                                Map.of(),
                                null));
            }
            for (var m : c.members()) {
                members.add(new Member(c.namespace(), c.name(), m.pod(), m.address(), m.node(), true, Map.of()));
                if (m.dnsName() != null) {
                    RecordType type = m.address().getAddress().length == 16 ? RecordType.AAAA : RecordType.A;
                    names.add(new DnsTarget(
                            c.namespace(),
                            c.name(),
                            m.pod(),
                            NameKind.POD,
                            m.dnsName(),
                            type,
                            DnsExpectation.containsAll(Set.of(m.address().getHostAddress()))));
                }
            }
            if (c.serviceName() != null) {
                Set<String> targets = c.members().stream()
                        .map(m -> trimDot(m.dnsName()).toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
                names.add(new DnsTarget(
                        c.namespace(),
                        c.name(),
                        "",
                        NameKind.SERVICE,
                        c.serviceName(),
                        RecordType.SRV,
                        DnsExpectation.equalTo(targets)));
            }
        }
        return new TargetSnapshot(members, names, Map.of(), List.of(), backups, null);
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
