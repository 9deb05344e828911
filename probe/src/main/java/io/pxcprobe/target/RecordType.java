package io.pxcprobe.target;

import org.xbill.DNS.Type;

/** The DNS record types the agent asks for ({@code rrtype} label). */
public enum RecordType {
    A(Type.A),
    AAAA(Type.AAAA),
    SRV(Type.SRV);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
