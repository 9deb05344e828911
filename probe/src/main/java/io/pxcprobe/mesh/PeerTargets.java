package io.pxcprobe.mesh;

import java.util.List;

/**
 * What {@code /cluster} reads of another agent's {@code /targets?format=json}: a tolerant reader,
 * so that agents of different versions still merge. Everything in it came over the network and is
 * bounded only by the size of the answer.
 */
public record PeerTargets(String sourceNode, Integer checksLeftOut, List<TcpRow> tcp, List<BackupRow> backup) {

    public PeerTargets {
        tcp = tcp == null ? List.of() : tcp;
        backup = backup == null ? List.of() : backup;
    }

    /** One TCP check's latest result; {@code pathUp} is null while it is pending. */
    public record TcpRow(
            String namespace,
            String cluster,
            String pod,
            String port,
            Integer portNumber,
            String address,
            String outcome,
            Boolean pathUp) {}

    /** The agent's backup verdict for one cluster. */
    public record BackupRow(String namespace, String cluster, Boolean ready, List<String> failing) {}
}
