package io.pxcprobe.backup;

import java.util.Optional;
import java.util.Set;

/**
 * What this node's canaries saw: the pods of a cluster that reached the canary under a port name
 * ({@code gcomm}, {@code sst}) recently, or empty where the reverse paths are not probed (no
 * canary, or the cluster has no sidecars).
 */
@FunctionalInterface
public interface ReverseEvidence {
    ReverseEvidence NONE = (namespace, cluster, port) -> Optional.empty();

    Optional<Set<String>> reached(String namespace, String cluster, String port);
}
