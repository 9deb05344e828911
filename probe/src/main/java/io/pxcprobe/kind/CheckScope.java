package io.pxcprobe.kind;

/**
 * Whose a check is.
 *
 * @param pod  the pod, empty for a name that belongs to no pod (a service)
 * @param port the named port a check tests, or null for a kind without ports
 */
public record CheckScope(String namespace, String cluster, String pod, String port) {

    /** Null filters match anything. */
    public boolean matches(String namespace, String cluster, String pod) {
        return (namespace == null || namespace.equals(this.namespace))
                && (cluster == null || cluster.equals(this.cluster))
                && (pod == null || pod.equals(this.pod));
    }
}
