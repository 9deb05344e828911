package io.pxcprobe.probe.syn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.pxcprobe.probe.Errno;
import java.net.InetAddress;

/**
 * One non-blocking raw socket with its reusable native buffers. Not thread-safe: the prober's
 * I/O thread alone sends and receives. Received packets carry the kernel's arrival time
 * (SO_TIMESTAMPNS), so a late wake-up of the reading thread does not inflate the RTT.
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

    /** What one receive read: {@code length} bytes in {@link #packet()}, from {@code source}, at {@code arrivalEpochNanos} (-1 if unknown). */
    record Received(int length, InetAddress source, long arrivalEpochNanos) {
    }

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
        return new Received(copied, SockAddr.readAddress(name), arrivalTime(message.getLong(40)));
    }

    byte[] packet() {
        return packet;
    }

    /** The SCM_TIMESTAMPNS control message (struct cmsghdr {size_t len; int level; int type;} + struct timespec). */
    private long arrivalTime(long controlLength) {
        long at = 0;
        while (at + 32 <= controlLength) {
            long length = control.getLong(at);
            if (length < 16) {
                return -1;
            }
            if (control.getInt(at + 8) == Libc.SOL_SOCKET && control.getInt(at + 12) == SCM_TIMESTAMPNS) {
                return control.getLong(at + 16) * 1_000_000_000L + control.getLong(at + 24);
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
