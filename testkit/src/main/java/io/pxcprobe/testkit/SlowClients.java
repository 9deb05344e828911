package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slowloris clients: each opens a connection, sends the start of a request head, then trickles one
 * header byte at a time and never ends the head. A connection the server closes is counted and
 * opened again at once, as an attacker would.
 */
public final class SlowClients implements AutoCloseable {
    private static final byte[] HEAD =
            "GET /metrics HTTP/1.1\r\nHost: slow\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final List<String> fromAddresses;
    private final int perAddress;
    private final long byteEveryNanos;
    private final SocketChannel[] channels;
    private final long[] nextByte;
    private final AtomicLong closedByServer = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final Thread loop;
    private volatile boolean stop;

    private SlowClients(InetSocketAddress server, List<String> fromAddresses, int perAddress, long byteEveryMillis) {
        this.server = server;
        this.fromAddresses = List.copyOf(fromAddresses);
        this.perAddress = perAddress;
        this.byteEveryNanos = byteEveryMillis * 1_000_000;
        this.channels = new SocketChannel[fromAddresses.size() * perAddress];
        this.nextByte = new long[channels.length];
        this.loop = Thread.ofPlatform().daemon().name("slow-clients").start(this::run);
    }

    /** {@code perAddress} connections from each of {@code fromAddresses}, one byte every {@code byteEveryMillis}. */
    public static SlowClients start(
            InetSocketAddress server, List<String> fromAddresses, int perAddress, long byteEveryMillis) {
        return new SlowClients(server, fromAddresses, perAddress, byteEveryMillis);
    }

    public int connections() {
        return channels.length;
    }

    /** Connections the server ended (closed or reset), refused ones included. */
    public long closedByServer() {
        return closedByServer.get();
    }

    public long opened() {
        return opened.get();
    }

    private void run() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (!stop) {
            long now = System.nanoTime();
            for (int i = 0; i < channels.length && !stop; i++) {
                try {
                    if (channels[i] == null) {
                        channels[i] = open(fromAddresses.get(i / perAddress));
                        nextByte[i] = now + byteEveryNanos;
                        continue;
                    }
                    sink.clear();
                    if (channels[i].read(sink) < 0) {
                        lost(i);
                    } else if (now >= nextByte[i]) {
                        channels[i].write(ByteBuffer.wrap(new byte[] {'a'}));
                        nextByte[i] = now + byteEveryNanos;
                    }
                } catch (IOException e) {
                    lost(i);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private SocketChannel open(String from) throws IOException {
        SocketChannel c = SocketChannel.open();
        try {
            c.bind(new InetSocketAddress(from, 0));
            c.socket().connect(server, 1000);
            c.write(ByteBuffer.wrap(HEAD));
            c.configureBlocking(false);
            opened.incrementAndGet();
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    private void lost(int i) {
        if (channels[i] != null) {
            closedByServer.incrementAndGet();
            try {
                channels[i].close();
            } catch (IOException ignored) {
                // already gone
            }
            channels[i] = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        loop.join(5000);
        for (SocketChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }
}
