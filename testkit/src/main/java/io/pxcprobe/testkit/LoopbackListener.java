package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP listener on one loopback address (any of 127.0.0.0/8 is local on Linux) standing in for a
 * Galera port: accepts, counts, closes. The count tells which address a prober actually reached.
 */
public final class LoopbackListener implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicLong accepted = new AtomicLong();

    private LoopbackListener(ServerSocket socket) {
        this.socket = socket;
        Thread.ofPlatform()
                .daemon()
                .name("listener-" + socket.getLocalSocketAddress())
                .start(this::acceptLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public long accepted() {
        return accepted.get();
    }

    /** @param port 0 for any free port */
    public static LoopbackListener open(String address, int port) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        if (!a.isLoopbackAddress()) {
            throw new IllegalArgumentException(address + " is not a loopback address");
        }
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(a, port), 128);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new LoopbackListener(s);
    }

    /** Listeners on each address, all on one port (a pod keeps its container ports when its IP changes). */
    public static LoopbackListener[] openOnSamePort(String... addresses) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            LoopbackListener first = open(addresses[0], 0);
            LoopbackListener[] all = new LoopbackListener[addresses.length];
            all[0] = first;
            try {
                for (int i = 1; i < addresses.length; i++) {
                    all[i] = open(addresses[i], first.port());
                }
                return all;
            } catch (IOException taken) {
                last = taken;
                for (LoopbackListener l : all) {
                    if (l != null) {
                        l.close();
                    }
                }
            }
        }
        throw last;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                accepted.incrementAndGet();
            } catch (IOException closedOrReset) {
                // closed by close(), or the prober's reset before accept returned
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
