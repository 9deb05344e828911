package io.pxcprobe.backup;

import java.util.List;

/** A {@link BackupVerdict} as {@code /targets} JSON shows it, and as {@code /cluster} reads it from other agents. */
public record VerdictRow(String namespace, String cluster, boolean ready, List<String> failing) {

    public static VerdictRow of(BackupVerdict v) {
        return new VerdictRow(
                v.namespace(),
                v.cluster(),
                v.ready(),
                v.failing().stream().sorted().map(Requirement::label).toList());
    }
}
