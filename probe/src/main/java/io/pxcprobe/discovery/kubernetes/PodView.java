package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.pxcprobe.config.Addresses;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The few facts about a PXC pod that discovery needs, taken from the Pod as soon as it arrives so
 * that whole Pod objects are not kept.
 *
 * @param address     the pod IP, or null while the pod has none
 * @param terminating whether the pod has a deletion timestamp
 * @param ports       port numbers by the agent's port names (gcomm, ist, sst), from the named container ports
 * @param controller  the StatefulSet that controls the pod, or null
 */
record PodView(
        String namespace,
        String cluster,
        String pod,
        InetAddress address,
        String node,
        boolean ready,
        boolean terminating,
        Map<String, Integer> ports,
        String controller) {

    /** The operator's instance label: its value is the PerconaXtraDBCluster's name. */
    static final String CLUSTER_LABEL = "app.kubernetes.io/instance";

    /** Container port names of mysqld in the operator's StatefulSet, mapped to the agent's port names. */
    private static final Map<String, String> PORT_NAMES =
            Map.of("write-set", "gcomm", "ist", "ist", "sst", "sst", "mysql-admin", "admin");

    PodView {
        ports = Map.copyOf(ports);
    }

    static String key(String namespace, String pod) {
        return namespace + "/" + pod;
    }

    String key() {
        return key(namespace, pod);
    }

    /** Whether this pod is a member to probe: it has an address and is not on its way out. */
    boolean probed() {
        return address != null && !terminating;
    }

    /** Empty when the pod lacks the cluster label: without it the pod cannot be named in metrics. */
    static Optional<PodView> from(Pod pod) {
        var meta = pod.getMetadata();
        String cluster = meta.getLabels() == null ? null : meta.getLabels().get(CLUSTER_LABEL);
        if (cluster == null || cluster.isBlank()) {
            return Optional.empty();
        }
        var status = pod.getStatus();
        InetAddress address = null;
        boolean ready = false;
        if (status != null) {
            if (status.getPodIP() != null && !status.getPodIP().isBlank()) {
                address = Addresses.parseLiteral(status.getPodIP()).orElse(null);
            }
            if (status.getConditions() != null) {
                for (PodCondition c : status.getConditions()) {
                    if ("Ready".equals(c.getType())) {
                        ready = "True".equals(c.getStatus());
                    }
                }
            }
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return Optional.of(new PodView(
                meta.getNamespace(),
                cluster,
                meta.getName(),
                address,
                node == null ? "" : node,
                ready,
                meta.getDeletionTimestamp() != null,
                ports(pod),
                OperatorOwnership.controllingStatefulSet(pod)));
    }

    private static Map<String, Integer> ports(Pod pod) {
        var ports = new HashMap<String, Integer>();
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return ports;
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                String name = p.getName() == null ? null : PORT_NAMES.get(p.getName());
                if (name != null && p.getContainerPort() != null) {
                    ports.putIfAbsent(name, p.getContainerPort());
                }
            }
        }
        return ports;
    }
}
