package io.pxcprobe.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.pxcprobe.mesh.PeerReply.Failure;
import io.pxcprobe.net.Transport;
import io.pxcprobe.testkit.FreePorts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The peer client against real sockets on loopback that answer well, too much, too slowly or not at all. */
class PeerClientTest {
    private static MultiThreadIoEventLoopGroup group;
    private static PeerClient client;

    @BeforeAll
    static void start() {
        group = Transport.best().newGroup(1, "peer-test");
        client = new PeerClient(group, Transport.best().socketChannel());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** A one-connection server: reads the request head, then does what {@code reply} does with the socket. */
    private static HttpFetch fetch(Consumer<OutputStream> reply, Duration deadline, int maxBody) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    String head = "";
                    while (!head.contains("\r\n\r\n")) {
                        int n = in.read(buf);
                        if (n < 0) {
                            return;
                        }
                        head += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    }
                    reply.accept(s.getOutputStream());
                    s.getOutputStream().flush();
                    in.read(); // until the client closes
                } catch (Exception ignored) {
                    // the client closed first
                }
            });
            HttpFetch f = client.get(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                            "/targets?format=json",
                            deadline,
                            maxBody)
                    .get(deadline.toMillis() + 2000, TimeUnit.MILLISECONDS);
            t.join(3000);
            assertTrue(!t.isAlive(), "the client closed the connection");
            return f;
        }
    }

    private static Consumer<OutputStream> answer(String body) {
        return out -> {
            try {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(b);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void readsAWholeAnswer() throws Exception {
        HttpFetch f = fetch(answer("{\"sourceNode\":\"n1\"}"), Duration.ofSeconds(2), 1024);
        HttpFetch.Response r = assertInstanceOf(HttpFetch.Response.class, f);
        assertEquals(200, r.status());
        assertEquals("{\"sourceNode\":\"n1\"}", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerOverTheLimitIsTooLarge() throws Exception {
        HttpFetch f = fetch(answer("x".repeat(5000)), Duration.ofSeconds(2), 1024);
        assertEquals(
                Failure.TOO_LARGE, assertInstanceOf(HttpFetch.Failed.class, f).failure());
    }

    @Test
    void aPeerThatTricklesPastTheDeadlineTimesOut() throws Exception {
        long start = System.nanoTime();
        HttpFetch f = fetch(
                out -> {
                    try {
                        out.write(
                                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        for (int i = 0; i < 30; i++) {
                            out.write('x');
                            out.flush();
                            Thread.sleep(100);
                        }
                    } catch (Exception e) {
                        // the client closed at its deadline
                    }
                },
                Duration.ofMillis(500),
                1024);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(
                Failure.TIMEOUT, assertInstanceOf(HttpFetch.Failed.class, f).failure());
        assertTrue(seconds < 1.5, "took " + seconds + " s");
    }

    @Test
    void nothingListeningIsRefused() throws Exception {
        int port = FreePorts.tcp();
        HttpFetch f = client.get(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        "/targets",
                        Duration.ofSeconds(1),
                        1024)
                .get(3, TimeUnit.SECONDS);
        assertEquals(
                Failure.REFUSED, assertInstanceOf(HttpFetch.Failed.class, f).failure());
    }

    @Test
    void anUnknownStatusIsKeptForTheReader() throws Exception {
        HttpFetch f = fetch(
                out -> {
                    try {
                        out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                Duration.ofSeconds(2),
                1024);
        PeerReply reply = PeerReplies.read(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), f, null, null);
        assertEquals(
                Failure.HTTP_STATUS,
                assertInstanceOf(PeerReply.Unanswered.class, reply).failure());
    }
}
