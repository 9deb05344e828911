package io.pxcprobe.probe.syn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/** An eventfd in the I/O thread's poll set: callers signal new work without blocking. */
final class WakeUp implements AutoCloseable {

    final int fd;
    /** Only read by write(2), so every caller thread may share it. */
    private final Memory one = new Memory(8);

    private final Memory drain = new Memory(8);

    WakeUp() {
        fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        one.setLong(0, 1);
    }

    /** Non-blocking; a full counter (EAGAIN) already means "wake up". */
    void signal() {
        try {
            Libc.write(fd, one, 8);
        } catch (LastErrorException ignored) {
            // EAGAIN: the counter is saturated, the reader is going to wake anyway
        }
    }

    void clear() {
        try {
            Libc.read(fd, drain, 8);
        } catch (LastErrorException ignored) {
            // EAGAIN: nothing was signalled
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
