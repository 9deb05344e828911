package io.pxcprobe.probe.syn;

import io.pxcprobe.probe.Errno;

/**
 * The errno a connecting socket (state SYN_SENT) gets from an ICMP error, as the kernel maps it
 * (net/ipv4/icmp.c icmp_err_convert, net/ipv6/icmp.c icmpv6_err_convert; tcp_v4_err/tcp_v6_err
 * abort a SYN_SENT socket on every such error). 0 means the kernel does not abort the connect.
 */
final class IcmpErrors {

    private static final int[] V4_UNREACH = {
        Errno.ENETUNREACH,
        Errno.EHOSTUNREACH,
        Errno.ENOPROTOOPT,
        Errno.ECONNREFUSED,
        0 /* fragmentation needed: path MTU update only */,
        Errno.EOPNOTSUPP,
        Errno.ENETUNREACH,
        Errno.EHOSTDOWN,
        Errno.ENONET,
        Errno.ENETUNREACH,
        Errno.EHOSTUNREACH,
        Errno.ENETUNREACH,
        Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH
    };

    private static final int[] V6_UNREACH = {
        Errno.ENETUNREACH,
        Errno.EACCES,
        Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH,
        Errno.ECONNREFUSED,
        Errno.EACCES,
        Errno.EACCES
    };

    static final int V4_DEST_UNREACH = 3;
    static final int V4_TIME_EXCEEDED = 11;
    static final int V4_PARAMETER_PROBLEM = 12;
    static final int V6_DEST_UNREACH = 1;
    static final int V6_TIME_EXCEEDED = 3;
    static final int V6_PARAMETER_PROBLEM = 4;

    private IcmpErrors() {}

    static int errnoV4(int type, int code) {
        return switch (type) {
            case V4_DEST_UNREACH -> code >= 0 && code < V4_UNREACH.length ? V4_UNREACH[code] : 0;
            case V4_TIME_EXCEEDED -> Errno.EHOSTUNREACH;
            case V4_PARAMETER_PROBLEM -> Errno.EPROTO;
            default -> 0;
        };
    }

    static int errnoV6(int type, int code) {
        return switch (type) {
            case V6_DEST_UNREACH -> code >= 0 && code < V6_UNREACH.length ? V6_UNREACH[code] : Errno.EPROTO;
            case V6_TIME_EXCEEDED -> Errno.EHOSTUNREACH;
            case V6_PARAMETER_PROBLEM -> Errno.EPROTO;
            default -> 0;
        };
    }
}
