package io.pxcprobe.probe.syn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;

/**
 * The source port of every probe: an ephemeral port held by a TCP socket that is bound but never
 * listens or connects, for the prober's lifetime. The kernel then hands that port to no other
 * socket (connect()'s port choice skips bound ports, bind() gets EADDRINUSE), so a probe's 4-tuple
 * never collides with a real connection, and since no socket accepts on it the kernel answers
 * every SYN-ACK with its own RST, which clears the server's half-open entry at once.
 * Java binds a dual-stack socket to [::], which holds the port for IPv4 and IPv6 alike.
 */
final class SourcePort implements AutoCloseable {

    private final Socket holder;

    SourcePort() {
        holder = new Socket();
        try {
            holder.bind(null);
        } catch (IOException e) {
            try {
                holder.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot bind the SYN probe source port", e);
        }
    }

    int port() {
        return holder.getLocalPort();
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
    }
}
