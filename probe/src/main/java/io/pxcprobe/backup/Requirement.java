package io.pxcprobe.backup;

import java.util.Locale;

/**
 * What a backup started on a node needs from the network (pxc-facts: the backup flow and its
 * ports); the lower-case name is the {@code requirement} label.
 */
public enum Requirement {
    /** The SRV records of {@code <cluster>-pxc} list every Ready pod: the backup picks its donor from them. */
    DNS_SRV,
    /** Each Ready pod's own name resolves to it: garbd dials the donor by name. */
    DNS_NAME,
    /** The backup pod reaches every Ready pod's gcomm (4567): garbd joins the group. */
    GCOMM,
    /** The backup pod reaches every Ready pod's admin port (33062): it asks each candidate whether it is Synced. */
    ADMIN,
    /** Every PXC pod reaches the backup pod's gcomm: gmcast is a full mesh. Proven by the sidecars reaching the canaries. */
    REVERSE_GCOMM,
    /** The donor reaches the backup pod's SST listener (4444); any Ready pod may be the donor. Proven by the canaries. */
    REVERSE_SST,
    /** A check it needs has no result yet, or was left out by the check limit: nothing is proven. */
    UNKNOWN;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
