package io.pxcprobe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.pxcprobe.net.Transport;
import io.pxcprobe.testkit.MalformedRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's limits with real sockets on loopback, shrunk so each deadline shows in seconds.
 * Client addresses come from 127.0.0.0/8, which Linux answers on the loopback device.
 */
class HttpServerLimitsTest {
    private static final HttpLimits LIMITS =
            new HttpLimits(12, 4, Duration.ofMillis(1500), Duration.ofMillis(2500), Duration.ofMillis(2000));
    private static final byte[] BIG = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);

    private MultiThreadIoEventLoopGroup group;
    private ExecutorService bodyWriter;
    private HttpServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        group = Transport.best().newGroup(1, "http-test");
        bodyWriter = Executors.newSingleThreadExecutor();
        server = HttpServer.start(
                group,
                Transport.best(),
                new InetSocketAddress("127.0.0.1", 0),
                Map.of(
                        "/healthz", new HealthEndpoint(List::of),
                        "/slow", (BufferedEndpoint) r -> later(3000, "slow answer\n"),
                        "/big", new BigBody(bodyWriter, 24 * 1024)),
                LIMITS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
        bodyWriter.shutdownNow();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }

    /** A streamed body of {@code kib} KiB, written a KiB at a time. */
    private record BigBody(ExecutorService executor, int kib) implements StreamingEndpoint {
        @Override
        public Body open(Request request) {
            return new Body("text/plain", out -> {
                for (int i = 0; i < kib; i++) {
                    out.write(BIG);
                }
            });
        }
    }

    private static CompletableFuture<FullHttpResponse> later(long millis, String body) {
        return CompletableFuture.supplyAsync(
                () -> Responses.text(HttpResponseStatus.OK, body),
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    private Socket connect(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    /** Reads until the server closes or {@code within} passes; returns what came and whether it closed. */
    private static Read readAll(Socket s, long withinMillis) throws IOException {
        long deadline = System.nanoTime() + withinMillis * 1_000_000;
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        while (System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return new Read(sb.toString(), true);
                }
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException reset) {
                return new Read(sb.toString(), true);
            }
        }
        return new Read(sb.toString(), false);
    }

    private record Read(String text, boolean closed) {}

    @Test
    void keptAliveConnectionAnswersOneRequestAfterAnother() throws Exception {
        Socket s = connect("127.0.0.1");
        for (int i = 0; i < 3; i++) {
            send(s, get("/healthz"));
            String status = new String(s.getInputStream().readNBytes(15), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200 OK", status);
            s.getInputStream().readNBytes(s.getInputStream().available());
            Thread.sleep(100);
        }
    }

    @Test
    void aHeaderBlockOver8KiBIsRefusedWithAReasonWhileOneJustUnderIsServed() throws Exception {
        Socket under = connect("127.0.0.1");
        send(under, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: " + "a".repeat(7_000) + "\r\n\r\n");
        assertTrue(answered(under), "positive control: 7,000 header bytes are served");

        Socket over = connect("127.0.0.1");
        send(over, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: " + "a".repeat(9_000) + "\r\n\r\n");
        Read r = readAll(over, 1000);
        assertTrue(r.text().startsWith("HTTP/1.1 4"), r.text());
        assertTrue(r.closed(), "the connection of a refused request is closed");
    }

    @Test
    void atTheCapTheLongestIdleKeptAliveConnectionMakesRoomAndOneMidRequestNeverDoes() throws Exception {
        long refusedBefore = server.counts().refused();
        long evictedBefore = server.counts().closed(ConnectionCounts.Closure.EVICTED);
        List<Socket> pooled = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxPerClient(); i++) {
            Socket s = connect("127.0.0.6");
            send(s, get("/healthz"));
            assertTrue(answered(s), "request " + i);
            pooled.add(s);
            Thread.sleep(50);
        }
        // a client that opens a new pooled connection per request, as a new HTTP client each time does
        Socket next = connect("127.0.0.6");
        send(next, get("/healthz"));
        assertTrue(answered(next), "a new connection at the cap is served");
        assertTrue(readAll(pooled.get(0), 1000).closed(), "the longest idle one made room");
        assertEquals(1, server.counts().closed(ConnectionCounts.Closure.EVICTED) - evictedBefore);
        assertEquals(0, server.counts().refused() - refusedBefore);
        for (int i = 1; i < pooled.size(); i++) {
            send(pooled.get(i), get("/healthz"));
            assertTrue(answered(pooled.get(i)), "the other idle connections stay usable: " + i);
        }

        // the control: connections in the middle of a request head are never evicted, so the cap holds
        List<Socket> trickling = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxPerClient(); i++) {
            Socket s = connect("127.0.0.7");
            send(s, "GET /healthz HTTP/1.1\r\nX-Slow: ");
            trickling.add(s);
        }
        Read refused = readAll(connect("127.0.0.7"), 1000);
        assertTrue(refused.closed() && refused.text().isEmpty(), "over the cap with nothing idle: refused " + refused);
        assertEquals(1, server.counts().refused() - refusedBefore);
        assertEquals(1, server.counts().closed(ConnectionCounts.Closure.EVICTED) - evictedBefore);
    }

    @Test
    void oneClientAddressCannotTakeMoreThanItsShareAndGivesItBackOnClose() throws Exception {
        long refusedBefore = server.counts().refused();
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxPerClient(); i++) {
            held.add(connect("127.0.0.3"));
        }
        Socket extra = connect("127.0.0.3");
        Read refused = readAll(extra, 1000);
        assertTrue(
                refused.closed() && refused.text().isEmpty(),
                "connection over the per-client cap closed at once: " + refused);
        assertEquals(1, server.counts().refused() - refusedBefore);

        Socket other = connect("127.0.0.4");
        send(other, get("/healthz"));
        assertTrue(answered(other), "another address is still served");

        held.get(0).close();
        Thread.sleep(200);
        Socket again = connect("127.0.0.3");
        send(again, get("/healthz"));
        assertTrue(answered(again), "a closed connection gives its slot back");
    }

    @Test
    void allClientsTogetherAreCappedToo() throws Exception {
        long refusedBefore = server.counts().refused();
        for (int i = 0; i < LIMITS.maxConnections(); i++) {
            connect("127.0.1." + (10 + i / LIMITS.maxPerClient()));
        }
        Read refused = readAll(connect("127.0.1.99"), 1000);
        assertTrue(
                refused.closed() && refused.text().isEmpty(),
                "connection over the total cap closed at once: " + refused);
        assertEquals(1, server.counts().refused() - refusedBefore);
    }

    @Test
    void trickledBytesDoNotExtendTheRequestDeadline() throws Exception {
        Socket complete = connect("127.0.0.1");
        Thread.sleep(1000);
        send(complete, get("/healthz"));
        assertTrue(answered(complete), "positive control: a request that arrives whole within the deadline is served");

        Socket trickle = connect("127.0.0.1");
        long opened = System.nanoTime();
        send(trickle, "GET /healthz HTTP/1.1\r\nX-Slow: ");
        boolean closed = false;
        for (int i = 0; i < 20 && !closed; i++) {
            Thread.sleep(300);
            try {
                send(trickle, "a");
            } catch (IOException e) {
                closed = true;
            }
            closed |= readAll(trickle, 1).closed();
        }
        long millis = (System.nanoTime() - opened) / 1_000_000;
        assertTrue(closed, "a request trickled for 6 s is still open");
        assertTrue(
                millis >= 1400 && millis < 2600, "closed " + millis + " ms after it opened; the deadline is 1,500 ms");
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAndARequestBeforeThatResetsTheClock() throws Exception {
        Socket s = connect("127.0.0.1");
        send(s, get("/healthz"));
        assertTrue(answered(s));
        Thread.sleep(1800);
        send(s, get("/healthz"));
        assertTrue(answered(s), "a request within the idle limit is served");
        long answered = System.nanoTime();
        Read idle = readAll(s, 4000);
        long millis = (System.nanoTime() - answered) / 1_000_000;
        assertTrue(idle.closed(), "still open after 4 s idle");
        assertTrue(millis >= 2300 && millis < 3200, "closed after " + millis + " ms idle; the limit is 2,500 ms");
    }

    @Test
    void anAnswerThatTakesLongerThanEveryDeadlineStillArrives() throws Exception {
        Socket s = connect("127.0.0.1");
        send(s, get("/slow"));
        Read r = readAll(s, 4500);
        assertTrue(r.text().startsWith("HTTP/1.1 200 ") && r.text().endsWith("slow answer\n"), r.text());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAfterAStreamedBody() throws Exception {
        Socket s = connect("127.0.0.1");
        send(s, get("/big") + get("/healthz") + get("/big"));
        List<Object> parts = responses(s, 3, 8000);
        assertEquals(
                List.of("200 /big", 24L * 1024 * 1024, "200", 3L, "200 /big", 24L * 1024 * 1024),
                parts.stream()
                        .map(p -> p instanceof String t && t.startsWith("200") && !t.contains("/") ? "200" : p)
                        .toList(),
                "responses in request order, each body whole");
    }

    @Test
    void aClientThatStopsReadingLosesItsConnectionAtTheResponseDeadlineAndHoldsNoOneElse() throws Exception {
        Socket stalled = new Socket();
        sockets.add(stalled);
        stalled.setReceiveBufferSize(4096);
        stalled.bind(new InetSocketAddress("127.0.0.5", 0));
        stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
        send(stalled, get("/big"));
        Thread.sleep(300);

        Socket reader = connect("127.0.0.6");
        long asked = System.nanoTime();
        send(reader, get("/big"));
        List<Object> parts = responses(reader, 1, 6000);
        long millis = (System.nanoTime() - asked) / 1_000_000;
        assertEquals(List.of("200 /big", 24L * 1024 * 1024), parts);
        assertTrue(
                millis < 3500, "the second body took " + millis + " ms; the stalled one may hold the writer 2,000 ms");

        long received = 0;
        boolean closed = false;
        byte[] buf = new byte[64 * 1024];
        stalled.setSoTimeout(1000);
        try {
            for (int n; (n = stalled.getInputStream().read(buf)) >= 0; ) {
                received += n;
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException reset) {
            closed = true;
        }
        assertTrue(closed, "the stalled client's connection is closed");
        assertTrue(
                received < 24L * 1024 * 1024,
                "positive control: the stalled client really stalled (" + received + " bytes)");
    }

    @Test
    void malformedRequestsGetA4xxWithAReasonAndTheConnectionCloses() throws Exception {
        for (String b : MalformedRequests.ALL) {
            String shown = b.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "NUL");
            Socket s = connect("127.0.0.1");
            send(s, b);
            Read r = readAll(s, 2000);
            assertTrue(
                    r.text().startsWith("HTTP/1.1 400 "),
                    shown + " => " + r.text().lines().findFirst().orElse("(nothing)"));
            assertTrue(r.text().length() > r.text().indexOf("\r\n\r\n") + 4, shown + " => a 400 without a reason");
            assertTrue(r.closed(), shown + ": a request that does not frame leaves the connection open");
        }
        Socket uri = connect("127.0.0.1");
        send(uri, get("/healthz?%zz"));
        assertTrue(
                readAll(uri, 1000).text().matches("(?s)HTTP/1\\.1 400 .*\r\n\r\n400 Bad Request: malformed URI.*"),
                "a request that frames but whose URI does not decode: 400 naming the URI");
        Socket version = connect("127.0.0.1");
        send(version, "GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n");
        assertTrue(
                readAll(version, 2000).text().startsWith("HTTP/1.1 505 "), "an HTTP version the agent does not speak");
        Socket ok = connect("127.0.0.1");
        send(ok, get("/healthz"));
        assertTrue(answered(ok), "positive control: a well-formed request on the same server");
    }

    /** Whether one whole 200 response arrives within 3 s. */
    private static boolean answered(Socket s) throws Exception {
        List<Object> parts = responses(s, 1, 3000);
        return parts.size() == 2 && "200".equals(parts.get(0));
    }

    /**
     * Decodes {@code count} responses as netty's client decoder sees them: for each, its status (with
     * "/big" when the body is chunked) and its body length.
     */
    private static List<Object> responses(Socket s, int count, long withinMillis) throws Exception {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder());
        List<Object> parts = new ArrayList<>();
        long[] length = {0};
        int done = 0;
        long deadline = System.nanoTime() + withinMillis * 1_000_000;
        byte[] buf = new byte[256 * 1024];
        InputStream in = s.getInputStream();
        while (done < count && System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
            for (Object o; (o = decoder.readInbound()) != null; ) {
                if (o instanceof HttpResponse r) {
                    assertTrue(r.decoderResult().isSuccess(), "a response that does not parse: " + r.decoderResult());
                    parts.add(r.status().code() + (HttpUtil.isTransferEncodingChunked(r) ? " /big" : ""));
                    length[0] = 0;
                }
                if (o instanceof HttpContent c) {
                    length[0] += c.content().readableBytes();
                    if (c instanceof LastHttpContent) {
                        parts.add(length[0]);
                        done++;
                    }
                }
                ReferenceCountUtil.release(o);
            }
        }
        decoder.finishAndReleaseAll();
        return parts;
    }
}
