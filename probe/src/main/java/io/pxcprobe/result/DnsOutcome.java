package io.pxcprobe.result;

import java.util.Locale;

/** How a DNS check ended; the lower-case name is the {@code result} label. */
public enum DnsOutcome {
    OK,
    NXDOMAIN,
    SERVFAIL,
    REFUSED,
    TIMEOUT,
    /** NOERROR but no record of the asked type. */
    EMPTY,
    /** An answer that is not what discovery expects: stale or incomplete DNS. */
    MISMATCH,
    /** Any other rcode, a malformed reply or a local failure. */
    ERROR;

    /** Made once: results are recorded thousands of times a second and must not allocate. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
