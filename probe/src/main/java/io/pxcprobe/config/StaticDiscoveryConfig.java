package io.pxcprobe.config;

import java.net.InetAddress;
import java.util.List;

/** Members listed in the configuration file itself; re-read whenever the file changes. */
public record StaticDiscoveryConfig(List<Cluster> clusters) {

    /** @param serviceName the name whose SRV records must list exactly the members' dnsNames (as the operator's {@code <cluster>-pxc}), or null */
    public record Cluster(
            String namespace,
            String name,
            String serviceName,
            List<Member> members,
            List<BackupSchedule> backupSchedules) {}

    /** A backup schedule of a cluster outside Kubernetes, as {@code spec.backup.schedule[]} gives one; {@code storage} may be null. */
    public record BackupSchedule(String name, String schedule, String storage) {}

    /** A member; {@code dnsName} and {@code node} may be null. */
    public record Member(String pod, InetAddress address, String dnsName, String node) {}
}
