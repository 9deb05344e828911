package io.pxcprobe.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The benchmark's "open" ports: accepts on 0.0.0.0:PORT (so every 127.x.y.z reaches it) and
 * closes at once. Runs in its own process so its CPU is not counted against the agent; it stops
 * when its standard input closes, or after {@code maxSeconds}.
 */
public final class BenchListener {
    private BenchListener() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long maxSeconds = Long.parseLong(args[1]);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the parent to go away
                }
            } catch (IOException ignored) {
                // parent gone
            }
            System.exit(0);
        });
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        try (Selector selector = Selector.open();
                ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("0.0.0.0", port), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.println("listening " + port);
            System.out.flush();
            while (System.nanoTime() < deadline) {
                selector.select(500);
                selector.selectedKeys().clear();
                SocketChannel c;
                while ((c = server.accept()) != null) {
                    c.close();
                }
            }
        }
    }
}
