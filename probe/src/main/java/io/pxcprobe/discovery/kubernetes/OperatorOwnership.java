package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;

/**
 * Whether a labelled pod is one the Percona operator made: Pod, controlled by a StatefulSet,
 * controlled by a PerconaXtraDBCluster named as the pod's cluster label. Labels alone prove
 * nothing: anyone who may create pods may label them. An owner reference cannot cross namespaces,
 * and a dependent whose owner does not exist is garbage-collected, so the chain holds only where
 * that cluster object really exists in the pod's namespace.
 */
final class OperatorOwnership {
    static final String NO_CLUSTER = "";
    private static final String PXC_GROUP = "pxc.percona.com/";
    private static final String PXC_KIND = "PerconaXtraDBCluster";

    private OperatorOwnership() {}

    /** The name of the StatefulSet that controls {@code pod}, or null. */
    static String controllingStatefulSet(HasMetadata pod) {
        OwnerReference c = controller(pod);
        return c != null && "StatefulSet".equals(c.getKind()) && "apps/v1".equals(c.getApiVersion())
                ? c.getName()
                : null;
    }

    /** The name of the PerconaXtraDBCluster that controls {@code statefulSet}, or {@link #NO_CLUSTER}. */
    static String controllingCluster(HasMetadata statefulSet) {
        OwnerReference c = controller(statefulSet);
        return c != null
                        && PXC_KIND.equals(c.getKind())
                        && c.getApiVersion() != null
                        && c.getApiVersion().startsWith(PXC_GROUP)
                ? c.getName()
                : NO_CLUSTER;
    }

    /**
     * Why {@code pod} is not the operator's, or null when it is.
     *
     * @param clusterOfStatefulSet the controlling cluster of each known StatefulSet, by namespace/name
     */
    static String problem(PodView pod, Map<String, String> clusterOfStatefulSet) {
        if (pod.controller() == null) {
            return "no StatefulSet controls it";
        }
        String owner = clusterOfStatefulSet.get(PodView.key(pod.namespace(), pod.controller()));
        if (owner == null) {
            return "its StatefulSet " + pod.controller() + " is not known";
        }
        if (owner.equals(NO_CLUSTER)) {
            return "no PerconaXtraDBCluster controls its StatefulSet " + pod.controller();
        }
        if (!owner.equals(pod.cluster())) {
            return "its StatefulSet " + pod.controller() + " belongs to PerconaXtraDBCluster " + owner + ", not to "
                    + pod.cluster() + " as its label says";
        }
        return null;
    }

    /**
     * Whether the pod's StatefulSet has not been seen yet: after a create the two watches may
     * deliver in either order, so such a pod waits unlogged (a pod whose controller does not exist
     * at all is garbage-collected).
     */
    static boolean awaitingStatefulSet(PodView pod, Map<String, String> clusterOfStatefulSet) {
        return pod.controller() != null
                && !clusterOfStatefulSet.containsKey(PodView.key(pod.namespace(), pod.controller()));
    }

    private static OwnerReference controller(HasMetadata o) {
        if (o.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        return o.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .orElse(null);
    }
}
