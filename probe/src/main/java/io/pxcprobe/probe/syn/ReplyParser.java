package io.pxcprobe.probe.syn;

import io.pxcprobe.probe.Errno;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses what the raw sockets read into {@link Reply}s; anything that cannot answer a SYN
 * (other flags, fragments, truncated or other-protocol packets) yields null.
 * An IPv4 raw socket delivers the IP header; an IPv6 one starts at the transport header.
 */
final class ReplyParser {

    private static final int FLAG_RST = 0x04;
    private static final int FLAG_SYN = 0x02;
    private static final int FLAG_ACK = 0x10;
    private static final int TCP_MIN = 20;
    private static final int ICMP_QUOTE = 8;

    private ReplyParser() {}

    static Reply tcpV4(byte[] p, int length) {
        int ihl = ipv4HeaderLength(p, length, Libc.IPPROTO_TCP);
        if (ihl < 0 || length < ihl + TCP_MIN) {
            return null;
        }
        return tcp(address(p, 12, 4), address(p, 16, 4), p, ihl, p[8] & 0xff);
    }

    /** @param hopLimit from the socket's control message: an IPv6 raw socket strips the IP header */
    static Reply tcpV6(InetAddress remote, int hopLimit, byte[] p, int length) {
        return length < TCP_MIN ? null : tcp(remote, null, p, 0, hopLimit);
    }

    private static Reply tcp(InetAddress remote, InetAddress local, byte[] p, int at, int hopLimit) {
        int flags = p[at + 13] & 0xff;
        if ((flags & FLAG_ACK) == 0) {
            return null;
        }
        Reply.Kind kind;
        if ((flags & FLAG_RST) != 0) {
            kind = Reply.Kind.RST;
        } else if ((flags & FLAG_SYN) != 0) {
            kind = Reply.Kind.SYN_ACK;
        } else {
            return null;
        }
        int isn = readInt(p, at + 8) - 1;
        return new Reply(
                remote,
                readShort(p, at),
                local,
                readShort(p, at + 2),
                isn,
                kind,
                0,
                kind == Reply.Kind.RST ? "RST" : "SYN-ACK",
                hopLimit);
    }

    static Reply icmpV4(byte[] p, int length) {
        int ihl = ipv4HeaderLength(p, length, Libc.IPPROTO_ICMP);
        if (ihl < 0 || length < ihl + ICMP_QUOTE) {
            return null;
        }
        int type = p[ihl] & 0xff;
        int code = p[ihl + 1] & 0xff;
        int errno = IcmpErrors.errnoV4(type, code);
        int inner = ihl + ICMP_QUOTE;
        int innerIhl = ipv4HeaderLength(p, length, Libc.IPPROTO_TCP, inner);
        if (errno == 0 || innerIhl < 0 || length < inner + innerIhl + 8) {
            return null;
        }
        int tcp = inner + innerIhl;
        return new Reply(
                address(p, inner + 16, 4),
                readShort(p, tcp + 2),
                address(p, inner + 12, 4),
                readShort(p, tcp),
                readInt(p, tcp + 4),
                Reply.Kind.ICMP_ERROR,
                errno,
                "ICMP type " + type + " code " + code + " (" + Errno.name(errno) + ")",
                p[8] & 0xff);
    }

    static Reply icmpV6(byte[] p, int length) {
        int inner = ICMP_QUOTE;
        int tcp = inner + 40;
        if (length < tcp + 8 || (p[inner + 6] & 0xff) != Libc.IPPROTO_TCP) {
            return null;
        }
        int type = p[0] & 0xff;
        int code = p[1] & 0xff;
        int errno = IcmpErrors.errnoV6(type, code);
        if (errno == 0) {
            return null;
        }
        return new Reply(
                address(p, inner + 24, 16),
                readShort(p, tcp + 2),
                address(p, inner + 8, 16),
                readShort(p, tcp),
                readInt(p, tcp + 4),
                Reply.Kind.ICMP_ERROR,
                errno,
                "ICMPv6 type " + type + " code " + code + " (" + Errno.name(errno) + ")",
                -1);
    }

    private static int ipv4HeaderLength(byte[] p, int length, int protocol) {
        return ipv4HeaderLength(p, length, protocol, 0);
    }

    /** The header length of the IPv4 packet at {@code at}, or -1 unless it is an unfragmented-start packet of that protocol. */
    private static int ipv4HeaderLength(byte[] p, int length, int protocol, int at) {
        if (length < at + 20 || (p[at] & 0xf0) != 0x40) {
            return -1;
        }
        int ihl = (p[at] & 0x0f) * 4;
        int fragmentOffset = readShort(p, at + 6) & 0x1fff;
        if (ihl < 20 || length < at + ihl || (p[at + 9] & 0xff) != protocol || fragmentOffset != 0) {
            return -1;
        }
        return ihl;
    }

    private static InetAddress address(byte[] p, int at, int length) {
        byte[] bytes = new byte[length];
        System.arraycopy(p, at, bytes, 0, length);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static int readShort(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    private static int readInt(byte[] p, int at) {
        return ((p[at] & 0xff) << 24) | ((p[at + 1] & 0xff) << 16) | ((p[at + 2] & 0xff) << 8) | (p[at + 3] & 0xff);
    }
}
