package io.pxcprobe.target;

/** The DNS record types the agent asks for ({@code rrtype} label). */
public enum RecordType {
    A(org.xbill.DNS.Type.A), AAAA(org.xbill.DNS.Type.AAAA), SRV(org.xbill.DNS.Type.SRV);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
