package io.pxcprobe.target;

import java.util.List;
import java.util.Map;

/**
 * A cluster's backups as its PerconaXtraDBCluster declares them.
 *
 * @param schedules {@code spec.backup.schedule[]}
 * @param storages  {@code spec.backup.storages}: by name, where that storage's backup pods may run
 * @param tls       whether the cluster encrypts gcomm, IST and SST (the backup's garbd and socat then
 *                  speak TLS too): off only with {@code spec.unsafeFlags.tls} and {@code spec.tls.enabled: false}
 *                  (the operator's {@code TLSEnabled}); null where not known
 */
public record BackupSpec(List<Schedule> schedules, Map<String, Placement> storages, Boolean tls) {

    public static final BackupSpec NONE = new BackupSpec(List.of(), Map.of(), null);

    public BackupSpec {
        schedules = List.copyOf(schedules);
        storages = Map.copyOf(storages);
    }

    /**
     * One scheduled backup.
     *
     * @param cron    the operator's cron expression, as written
     * @param storage the {@code storageName} it writes to
     * @param keep    how many backups of it the operator keeps (0 when not set)
     */
    public record Schedule(String name, String cron, String storage, int keep) {}

    /** Where a storage's backup pods may run; anywhere for a storage the spec does not list. */
    public Placement placementOf(String storage) {
        return storages.getOrDefault(storage, Placement.ANYWHERE);
    }
}
