package io.pxcprobe.probe.syn;

import com.sun.jna.Memory;
import java.net.InetAddress;

/**
 * The source address the kernel's routing picks for a destination: connect a UDP socket (no packet
 * is sent) and read getsockname. A failed lookup throws with connect()'s errno (EHOSTUNREACH for an
 * unreachable route, ENETUNREACH without a route), the errno a TCP connect() would get.
 * One per address family; used by the I/O thread only.
 */
final class RouteLookup implements AutoCloseable {

    private static final int DISCARD_PORT = 9;

    private final int fd;
    private final Memory address = new Memory(SockAddr.MAX_LENGTH);
    private final Memory length = new Memory(4);

    RouteLookup(int family) {
        fd = Libc.socket(family, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.IPPROTO_UDP);
    }

    InetAddress sourceFor(InetAddress destination) {
        int size = SockAddr.write(destination, DISCARD_PORT, address);
        Libc.connect(fd, address, size);
        length.setInt(0, SockAddr.MAX_LENGTH);
        Libc.getsockname(fd, address, length);
        return SockAddr.readAddress(address);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
