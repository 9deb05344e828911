package io.pxcprobe.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a fresh socket from a chosen local address, as the kubelet or a
 * scraper makes it: the whole exchange, connect included, has one deadline.
 */
public final class RawHttp {
    private RawHttp() {}

    /**
     * @param status 0 when no status line arrived in time
     * @param body   the body, de-chunked when it came chunked
     * @param complete whether the whole response arrived before the deadline
     */
    public record Reply(int status, String body, long millis, boolean complete) {}

    public static Reply get(String from, int port, String path, long withinMillis) {
        return exchange(
                from, port, "GET " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n", withinMillis);
    }

    /** Sends {@code request} as it is and reads until the server closes or the deadline passes. */
    public static Reply exchange(String from, int port, String request, long withinMillis) {
        long start = System.nanoTime();
        long deadline = start + withinMillis * 1_000_000;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean closed = false;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) withinMillis);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            while (System.nanoTime() < deadline) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int n = in.read(buf);
                if (n < 0) {
                    closed = true;
                    break;
                }
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = got.size() > 0;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return parse(got.toString(StandardCharsets.ISO_8859_1), millis, closed);
    }

    private static Reply parse(String raw, long millis, boolean closed) {
        int headEnd = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.1 ") || raw.length() < 12 || headEnd < 0) {
            return new Reply(0, raw, millis, false);
        }
        int status = Integer.parseInt(raw.substring(9, 12));
        String head = raw.substring(0, headEnd).toLowerCase(Locale.ROOT);
        String body = raw.substring(headEnd + 4);
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return dechunk(status, body, millis, closed);
        }
        return new Reply(status, body, millis, closed);
    }

    private static Reply dechunk(int status, String chunked, long millis, boolean closed) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return new Reply(status, body.toString(), millis, false);
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return new Reply(status, body.toString(), millis, closed);
            }
            if (lineEnd + 2 + size > chunked.length()) {
                return new Reply(status, body.toString(), millis, false);
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
