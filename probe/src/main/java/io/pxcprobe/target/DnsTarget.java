package io.pxcprobe.target;

/**
 * One DNS name to resolve, with what the answer must hold.
 *
 * @param pod  the member the name belongs to, "" for service names
 * @param name a fully qualified name, without the trailing dot
 */
public record DnsTarget(
        String namespace,
        String cluster,
        String pod,
        NameKind kind,
        String name,
        RecordType type,
        DnsExpectation expected) {

    public DnsTarget {
        pod = pod == null ? "" : pod;
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Identity of the check, without the expectation (which changes with membership). */
    public String key() {
        return namespace + "/" + cluster + "/" + kind.label() + "/" + name + "/" + type;
    }
}
