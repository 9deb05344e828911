package io.pxcprobe.probe.syn;

import com.sun.jna.Memory;

/**
 * Classic BPF programs attached to the raw sockets. A raw TCP socket gets a copy of every TCP
 * packet the host receives; on a busy node the filter keeps all but the packets to our source
 * port in the kernel, and keeps only their headers ({@link #SNAP} bytes).
 */
final class SocketFilters {

    static final int SNAP = 192;

    private static final int LDX_B_MSH = 0xb1;
    private static final int LD_H_IND = 0x48;
    private static final int LD_B_IND = 0x50;
    private static final int LD_H_ABS = 0x28;
    private static final int LD_B_ABS = 0x30;
    private static final int JEQ_K = 0x15;
    private static final int RET_K = 0x06;

    private SocketFilters() {}

    /** IPv4 raw TCP socket (data starts at the IP header): TCP destination port == ours. */
    static int[][] tcpV4(int port) {
        return new int[][] {
            {LDX_B_MSH, 0, 0, 0},
            {LD_H_IND, 0, 0, 2},
            {JEQ_K, 0, 1, port},
            {RET_K, 0, 0, SNAP},
            {RET_K, 0, 0, 0}
        };
    }

    /** IPv6 raw TCP socket (data starts at the TCP header): destination port == ours. */
    static int[][] tcpV6(int port) {
        return new int[][] {
            {LD_H_ABS, 0, 0, 2},
            {JEQ_K, 0, 1, port},
            {RET_K, 0, 0, SNAP},
            {RET_K, 0, 0, 0}
        };
    }

    /** IPv4 raw ICMP socket: destination unreachable, time exceeded, parameter problem. */
    static int[][] icmpV4() {
        return new int[][] {
            {LDX_B_MSH, 0, 0, 0},
            {LD_B_IND, 0, 0, 0},
            {JEQ_K, 2, 0, IcmpErrors.V4_DEST_UNREACH},
            {JEQ_K, 1, 0, IcmpErrors.V4_TIME_EXCEEDED},
            {JEQ_K, 0, 1, IcmpErrors.V4_PARAMETER_PROBLEM},
            {RET_K, 0, 0, SNAP},
            {RET_K, 0, 0, 0}
        };
    }

    /** IPv6 raw ICMPv6 socket (data starts at the ICMPv6 header): the same three error types. */
    static int[][] icmpV6() {
        return new int[][] {
            {LD_B_ABS, 0, 0, 0},
            {JEQ_K, 2, 0, IcmpErrors.V6_DEST_UNREACH},
            {JEQ_K, 1, 0, IcmpErrors.V6_TIME_EXCEEDED},
            {JEQ_K, 0, 1, IcmpErrors.V6_PARAMETER_PROBLEM},
            {RET_K, 0, 0, SNAP},
            {RET_K, 0, 0, 0}
        };
    }

    /** Attaches a program (struct sock_fprog of struct sock_filter {u16 code; u8 jt; u8 jf; u32 k;}). */
    static void attach(int fd, int[][] program) {
        Memory filters = new Memory(8L * program.length);
        for (int i = 0; i < program.length; i++) {
            filters.setShort(8L * i, (short) program[i][0]);
            filters.setByte(8L * i + 2, (byte) program[i][1]);
            filters.setByte(8L * i + 3, (byte) program[i][2]);
            filters.setInt(8L * i + 4, program[i][3]);
        }
        Memory fprog = new Memory(16);
        fprog.clear();
        fprog.setShort(0, (short) program.length);
        fprog.setPointer(8, filters);
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, fprog, 16);
    }
}
