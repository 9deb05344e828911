package io.pxcprobe.mesh;

import java.util.List;

/**
 * Every agent's latest view of the PXC pods, merged: what {@code /cluster} answers and what
 * {@code pxc-probe cluster} prints. The records are the JSON's schema.
 *
 * @param askedBy        the node of the agent that asked the others
 * @param agentsAsked    agents found (this one included), after {@code peers.maxAgents}
 * @param agentsLeftOut  agents found beyond {@code peers.maxAgents}, not asked
 * @param ports          the order of the characters in a cell, e.g. gcomm, ist, sst, admin
 * @param healthy        every agent answered, no path is down and every backup verdict is ready
 * @param problems       what kept agents from being found (a DNS failure), for people
 */
public record ClusterView(
        String askedBy,
        String namespace,
        String cluster,
        int agentsAsked,
        int agentsAnswered,
        int agentsLeftOut,
        double seconds,
        List<String> ports,
        List<Grid> clusters,
        List<DownPath> down,
        List<NotReady> backupNotReady,
        List<AgentAnswer> agents,
        List<String> problems,
        boolean healthy) {

    /** One PXC cluster: a row per source node, a column per pod. */
    public record Grid(String namespace, String cluster, List<String> pods, List<GridRow> rows) {}

    /**
     * @param source  the agent's node, or its address when it did not answer
     * @param cells   one per pod: one character per port of {@link ClusterView#ports}
     * @param backup  {@code ready}, {@code not ready}, or null where the agent has no verdict
     * @param failure why the agent gave no answer; null when it answered
     */
    public record GridRow(String source, List<String> cells, String backup, String failure) {}

    /** One pod's port that is down, and from which nodes. */
    public record DownPath(
            String namespace, String cluster, String pod, String port, String outcome, List<String> fromNodes) {}

    /** Nodes from which a backup of the cluster would not get through, by the requirements that fail. */
    public record NotReady(String namespace, String cluster, List<String> failing, List<String> nodes) {}

    /**
     * @param sourceNode null when it did not answer
     * @param answer     {@code ok}, or why it did not answer (timeout, refused, ...)
     * @param detail     for people
     */
    public record AgentAnswer(String address, String sourceNode, String answer, double seconds, String detail) {}
}
