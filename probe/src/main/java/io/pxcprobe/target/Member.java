package io.pxcprobe.target;

import java.net.InetAddress;
import java.util.Map;

/**
 * One PXC member as discovery sees it.
 *
 * @param node  the Kubernetes node the pod runs on ({@code target_node} label), "" when unknown
 * @param ports port numbers by name, from the pod's container ports; empty means the configured defaults
 */
public record Member(
        String namespace,
        String cluster,
        String pod,
        InetAddress address,
        String node,
        boolean ready,
        Map<String, Integer> ports) {

    public Member {
        node = node == null ? "" : node;
        ports = Map.copyOf(ports);
    }

    /** {@code namespace/cluster/pod}: unique within one snapshot. */
    public String key() {
        return namespace + "/" + cluster + "/" + pod;
    }
}
