package io.pxcprobe.probe.syn;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Builds the TCP SYN segment of a probe (the kernel adds the IP header), checksummed over the
 * IPv4 or IPv6 pseudo-header of the source address the route chose.
 */
final class SynSegment {

    static final int LENGTH = 24;
    private static final int FLAG_SYN = 0x02;
    private static final int WINDOW = 64240;

    private SynSegment() {}

    static byte[] build(InetAddress source, InetAddress destination, int sourcePort, int destinationPort, int isn) {
        byte[] segment = new byte[LENGTH];
        putShort(segment, 0, sourcePort);
        putShort(segment, 2, destinationPort);
        putInt(segment, 4, isn);
        segment[12] = (byte) ((LENGTH / 4) << 4);
        segment[13] = FLAG_SYN;
        putShort(segment, 14, WINDOW);
        // A plain MSS option, as every real SYN carries one; some middleboxes drop SYNs without it.
        segment[20] = 2;
        segment[21] = 4;
        putShort(segment, 22, destination instanceof Inet4Address ? 1460 : 1440);
        putShort(segment, 16, checksum(source, destination, segment));
        return segment;
    }

    /** The TCP checksum (RFC 793 / RFC 8200 section 8.1) of a segment whose checksum field is zero. */
    static int checksum(InetAddress source, InetAddress destination, byte[] segment) {
        long sum = sumWords(source.getAddress()) + sumWords(destination.getAddress());
        sum += Libc.IPPROTO_TCP + segment.length;
        sum += sumWords(segment);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sumWords(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i + 1 < bytes.length; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if ((bytes.length & 1) != 0) {
            sum += (bytes[bytes.length - 1] & 0xff) << 8;
        }
        return sum;
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
