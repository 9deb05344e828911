package io.pxcprobe.testkit;

import java.util.List;

/** Pieces of the agent's YAML configuration that the tests of every module write alike. */
public final class AgentYaml {
    private AgentYaml() {}

    /**
     * The {@code discovery:} section: Kubernetes off, one static cluster.
     *
     * @param members YAML flow mappings, one a member, e.g. {@code {pod: c1-pxc-0, address: 127.0.0.1}}
     */
    public static String staticDiscovery(String namespace, String cluster, List<String> members) {
        return staticDiscovery(namespace, cluster, null, members);
    }

    /** As {@link #staticDiscovery(String, String, List)}, with the service whose SRV records must list the members (null: none). */
    public static String staticDiscovery(String namespace, String cluster, String serviceName, List<String> members) {
        StringBuilder y = new StringBuilder("discovery:\n  kubernetes: {enabled: false}\n  static:\n    clusters:\n")
                .append("      - namespace: ")
                .append(namespace)
                .append('\n')
                .append("        name: ")
                .append(cluster)
                .append('\n');
        if (serviceName != null) {
            y.append("        serviceName: ").append(serviceName).append('\n');
        }
        y.append("        members:\n");
        members.forEach(m -> y.append("          - ").append(m).append('\n'));
        return y.toString();
    }

    /** A member as {@link #staticDiscovery} takes it. */
    public static String member(String pod, String address) {
        return "{pod: " + pod + ", address: " + address + "}";
    }
}
