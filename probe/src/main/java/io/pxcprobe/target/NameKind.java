package io.pxcprobe.target;

import java.util.Locale;

/** Which of the operator's DNS names a lookup is for ({@code name_kind} label). */
public enum NameKind {
    /** {@code <pod>.<cluster>-pxc.<ns>.svc.<domain>}: exists only while the pod is Ready. */
    POD,
    /** {@code <cluster>-pxc.<ns>.svc.<domain>}: the Ready pods (A) and their SRV records, as the backup pod's peer list uses. */
    SERVICE,
    /** {@code <cluster>-pxc-unready.<ns>.svc.<domain>}: every pod, Ready or not. */
    UNREADY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
