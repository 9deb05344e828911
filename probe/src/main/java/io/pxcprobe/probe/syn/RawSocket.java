package io.pxcprobe.probe.syn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.pxcprobe.probe.Errno;
import java.net.InetAddress;

/**
 * One non-blocking raw socket with its reusable native buffers. Not thread-safe: the prober's
 * I/O thread alone sends and receives. Received packets carry the kernel's arrival time
 * (SO_TIMESTAMPNS), so a late wake-up of the reading thread does not inflate the RTT, and on
 * IPv6 their hop limit (IPV6_RECVHOPLIMIT), which an IPv6 raw socket does not hand over in a header.
 */
final class RawSocket implements AutoCloseable {

    private static final int BUFFER = 256;
    private static final int CONTROL = 64;
    private static final int SCM_TIMESTAMPNS = Libc.SO_TIMESTAMPNS;

    final int fd;
    final int family;
    final int protocol;
    private final Memory destination = new Memory(SockAddr.MAX_LENGTH);
    private final Memory sendBuffer = new Memory(64);
    private final Memory receiveBuffer = new Memory(BUFFER);
    private final Memory name = new Memory(SockAddr.MAX_LENGTH);
    private final Memory control = new Memory(CONTROL);
    private final Memory iov = new Memory(16);
    private final Memory message = new Memory(56);
    private final byte[] packet = new byte[BUFFER];
    private boolean closed;

    /**
     * What one receive read: {@code length} bytes in {@link #packet()}, from {@code source}, at
     * {@code arrivalEpochNanos}; {@code hopLimit} from the control message (IPv6), else -1.
     */
    record Received(int length, InetAddress source, long arrivalEpochNanos, int hopLimit) {}

    private RawSocket(int fd, int family, int protocol) {
        this.fd = fd;
        this.family = family;
        this.protocol = protocol;
        iov.setPointer(0, receiveBuffer);
        iov.setLong(8, BUFFER);
    }

    static RawSocket open(int family, int protocol, int[][] filter, int receiveBufferBytes) {
        int fd = Libc.socket(family, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, protocol);
        try {
            SocketFilters.attach(fd, filter);
            Memory value = new Memory(4);
            value.setInt(0, receiveBufferBytes);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, value, 4);
            value.setInt(0, 1);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, value, 4);
            if (family == Libc.AF_INET6 && protocol == Libc.IPPROTO_TCP) {
                Libc.setsockopt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_RECVHOPLIMIT, value, 4);
            }
        } catch (LastErrorException e) {
            Libc.close(fd);
            throw e;
        }
        return new RawSocket(fd, family, protocol);
    }

    /** Sends one transport segment; the kernel adds the IP header. Throws with the errno of sendto. */
    void send(byte[] segment, InetAddress to) {
        int length = SockAddr.write(to, 0, destination);
        sendBuffer.write(0, segment, 0, segment.length);
        Libc.sendto(fd, sendBuffer, segment.length, Libc.MSG_DONTWAIT, destination, length);
    }

    /** Reads one packet without blocking; null when none is queued. */
    Received receive() {
        message.clear();
        message.setPointer(0, name);
        message.setInt(8, SockAddr.MAX_LENGTH);
        message.setPointer(16, iov);
        message.setLong(24, 1);
        message.setPointer(32, control);
        message.setLong(40, CONTROL);
        long length;
        try {
            length = Libc.recvmsg(fd, message, Libc.MSG_DONTWAIT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) {
                return null;
            }
            throw e;
        }
        int copied = (int) Math.min(length, BUFFER);
        receiveBuffer.read(0, packet, 0, copied);
        long controlLength = message.getLong(40);
        return new Received(copied, SockAddr.readAddress(name), arrivalTime(controlLength), hopLimit(controlLength));
    }

    byte[] packet() {
        return packet;
    }

    /** The SCM_TIMESTAMPNS control message's time (a struct timespec), or -1. */
    private long arrivalTime(long controlLength) {
        long at = controlMessage(controlLength, Libc.SOL_SOCKET, SCM_TIMESTAMPNS, 16);
        return at < 0 ? -1 : control.getLong(at) * 1_000_000_000L + control.getLong(at + 8);
    }

    /** The IPV6_HOPLIMIT control message's value (an int), or -1. */
    private int hopLimit(long controlLength) {
        long at = controlMessage(controlLength, Libc.IPPROTO_IPV6, Libc.IPV6_HOPLIMIT, 4);
        return at < 0 ? -1 : control.getInt(at);
    }

    /** Where the data of a control message (struct cmsghdr {size_t len; int level; int type;}) starts, or -1. */
    private long controlMessage(long controlLength, int level, int type, int dataBytes) {
        long at = 0;
        while (at + 16 + dataBytes <= Math.min(controlLength, CONTROL)) {
            long length = control.getLong(at);
            if (length < 16) {
                return -1;
            }
            if (control.getInt(at + 8) == level && control.getInt(at + 12) == type && length >= 16 + dataBytes) {
                return at + 16;
            }
            at += (length + 7) & ~7L;
        }
        return -1;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
