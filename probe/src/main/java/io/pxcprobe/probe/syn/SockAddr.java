package io.pxcprobe.probe.syn;

import com.sun.jna.Pointer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** struct sockaddr_in / sockaddr_in6 in native memory (family in host order, port in network order). */
final class SockAddr {

    static final int MAX_LENGTH = 28;

    private SockAddr() {}

    /** Writes the address at {@code to} and returns its length. */
    static int write(InetAddress address, int port, Pointer to) {
        to.setMemory(0, MAX_LENGTH, (byte) 0);
        to.setByte(2, (byte) (port >>> 8));
        to.setByte(3, (byte) port);
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            to.setShort(0, (short) Libc.AF_INET);
            to.write(4, bytes, 0, 4);
            return 16;
        }
        to.setShort(0, (short) Libc.AF_INET6);
        to.write(8, bytes, 0, 16);
        to.setInt(24, ((Inet6Address) address).getScopeId());
        return 28;
    }

    static InetAddress readAddress(Pointer from) {
        int family = from.getShort(0);
        byte[] bytes = family == Libc.AF_INET ? from.getByteArray(4, 4) : from.getByteArray(8, 16);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static int family(InetAddress address) {
        return address instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6;
    }
}
