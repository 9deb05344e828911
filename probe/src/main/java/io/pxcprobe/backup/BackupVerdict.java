package io.pxcprobe.backup;

import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a backup of one cluster started on this agent's node would get through, as far as the
 * latest checks prove it.
 *
 * @param failing the requirements not proven, empty when the path is ready
 */
public record BackupVerdict(String namespace, String cluster, Set<Requirement> failing) {

    public BackupVerdict {
        failing = failing.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(failing));
    }

    public boolean ready() {
        return failing.isEmpty();
    }
}
