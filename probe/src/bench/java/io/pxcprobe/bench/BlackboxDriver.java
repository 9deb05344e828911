package io.pxcprobe.bench;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What Prometheus does to an exporter, in a process of its own so that its CPU can be read apart.
 *
 * <p>{@code probe PORT MODULE INTERVAL_MS MAX_CONNECTIONS MAX_SECONDS TARGETS_FILE}: drives a
 * blackbox_exporter the way a Prometheus job with one scrape target per probed address does. Each
 * target (a line {@code host:port} of the file) gets one {@code GET /probe?module=MODULE&target=...}
 * per interval, at a fixed phase: the targets are spread evenly over the interval, as Prometheus
 * spreads scrape loops by a hash of each target. A target's next scrape is skipped while its last one
 * is still running, as a scrape loop does. The request carries Prometheus' headers: its Accept
 * (OpenMetrics preferred), {@code Accept-Encoding: gzip} and {@code X-Prometheus-Scrape-Timeout-Seconds}
 * (the interval, at most 10 s), from which the exporter takes its probe timeout. Connections are
 * HTTP/1.1 keep-alive and shared by all targets, as one scrape pool shares one Go transport: a
 * request takes the most recently idle connection, or opens one; at most MAX_CONNECTIONS requests
 * (and so connections) are in flight. The body is inflated and its lines read; {@code probe_success},
 * {@code probe_duration_seconds} and {@code probe_dns_lookup_time_seconds} are kept.
 *
 * <p>{@code scrape PORT EVERY_SECONDS MAX_SECONDS}: the whole {@code /metrics} every EVERY_SECONDS, gzip
 * and OpenMetrics, with {@link Scraper}.
 *
 * <p>Standard input drives it: each line {@code mark} prints one line {@code mark requests=... } with the
 * counters so far and the latency of the successful probes since the previous mark; end of input (or
 * MAX_SECONDS) prints {@code final ...} and ends the process. {@code max_in_flight} is the most requests
 * in flight at once since the previous mark.
 */
public final class BlackboxDriver {
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private BlackboxDriver() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "probe" -> probe(args);
            case "scrape" -> scrape(args);
            default -> throw new IllegalArgumentException("mode is probe or scrape: " + args[0]);
        }
    }

    private static void scrape(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        int every = Integer.parseInt(args[2]);
        long maxSeconds = Long.parseLong(args[3]);
        Scraper scraper = Scraper.start(port, every);
        control(maxSeconds, () -> "", () -> scraper.stop().toString());
    }

    private static void probe(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        String module = args[2];
        long intervalMillis = Long.parseLong(args[3]);
        int maxConnections = Integer.parseInt(args[4]);
        long maxSeconds = Long.parseLong(args[5]);
        List<String> targets = Files.readAllLines(Path.of(args[6])).stream()
                .filter(l -> !l.isBlank())
                .toList();
        Pool pool = new Pool(port, module, intervalMillis, maxConnections, targets);
        Thread scheduler = Thread.ofPlatform().name("bench-schedule").daemon().start(pool::schedule);
        control(maxSeconds, pool::mark, () -> {
            scheduler.interrupt();
            return pool.mark();
        });
    }

    /** Answers "mark" lines on standard input; ends at end of input or after maxSeconds. */
    private static void control(long maxSeconds, Stats mark, Stats last) throws Exception {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
                System.out.println("final (time limit) " + last.get());
                System.out.flush();
            } catch (Exception e) {
                // ending anyway
            }
            System.exit(0);
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.trim().equals("mark")) {
                System.out.println("mark " + mark.get());
                System.out.flush();
            }
        }
        System.out.println("final " + last.get());
        System.out.flush();
        System.exit(0);
    }

    @FunctionalInterface
    private interface Stats {
        String get() throws Exception;
    }

    /** The targets, their schedule, the keep-alive connections and the counters. */
    private static final class Pool {
        private final InetSocketAddress exporter;
        private final long periodNanos;
        private final byte[][] requests;
        private final AtomicIntegerArray running;
        private final ThreadPoolExecutor workers;
        private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicInteger opened = new AtomicInteger();
        private final AtomicInteger open = new AtomicInteger();
        private final LongAdder sent = new LongAdder();
        private final LongAdder answered = new LongAdder();
        private final LongAdder succeeded = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final LongAdder skipped = new LongAdder();
        private final LongAdder late = new LongAdder();
        private final Samples durations = new Samples();
        private final Samples connectOnly = new Samples();

        Pool(int port, String module, long intervalMillis, int maxConnections, List<String> targets) {
            this.exporter = new InetSocketAddress("127.0.0.1", port);
            this.periodNanos = intervalMillis * 1_000_000L;
            double timeout = Math.min(10.0, intervalMillis / 1000.0);
            this.requests = new byte[targets.size()][];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = ("GET /probe?module=" + module + "&target=" + targets.get(i) + " HTTP/1.1\r\n"
                                + "Host: 127.0.0.1:" + port + "\r\n"
                                + "User-Agent: Prometheus/2.53.0\r\n"
                                + "Accept: " + PROMETHEUS_ACCEPT + "\r\n"
                                + "Accept-Encoding: gzip\r\n"
                                + "X-Prometheus-Scrape-Timeout-Seconds: " + fmt(timeout) + "\r\n"
                                + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            this.running = new AtomicIntegerArray(targets.size());
            this.workers = new ThreadPoolExecutor(
                    maxConnections,
                    maxConnections,
                    1,
                    TimeUnit.MINUTES,
                    new LinkedBlockingQueue<>(),
                    r -> Thread.ofPlatform().name("bench-http").daemon().unstarted(r));
        }

        private static String fmt(double seconds) {
            return seconds == Math.rint(seconds)
                    ? Long.toString((long) seconds)
                    : String.format(Locale.ROOT, "%.3f", seconds);
        }

        /** Target i runs at phase i/n of the interval, every interval, from 100 ms after start. */
        void schedule() {
            int n = requests.length;
            long start = System.nanoTime() + 100_000_000L;
            for (long k = 0; !Thread.currentThread().isInterrupted(); k++) {
                int target = (int) (k % n);
                long due = start + (k / n) * periodNanos + target * periodNanos / n;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (wait < -periodNanos / 10) {
                    late.increment();
                }
                if (!running.compareAndSet(target, 0, 1)) {
                    skipped.increment();
                    continue;
                }
                sent.increment();
                workers.execute(() -> scrape(target));
            }
        }

        private void scrape(int target) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Connection c = idle.pollLast();
            try {
                if (c == null) {
                    c = new Connection(exporter);
                    opened.incrementAndGet();
                    open.incrementAndGet();
                }
                Response r = c.exchange(requests[target]);
                if (r.status == 200) {
                    answered.increment();
                    if (r.success) {
                        succeeded.increment();
                        durations.add(r.duration);
                        connectOnly.add(r.duration - r.dnsLookup);
                    }
                } else {
                    failed.increment();
                }
                if (r.keepAlive) {
                    idle.addLast(c);
                } else {
                    c.close();
                    open.decrementAndGet();
                }
            } catch (IOException | RuntimeException | DataFormatException e) {
                failed.increment();
                if (c != null) {
                    c.close();
                    open.decrementAndGet();
                }
            } finally {
                inFlight.decrementAndGet();
                running.set(target, 0);
            }
        }

        String mark() {
            return String.format(
                    Locale.ROOT,
                    "requests=%d answered=%d success=%d failed=%d skipped=%d late=%d connections_opened=%d"
                            + " connections_open=%d max_in_flight=%d duration=%s dns_free=%s",
                    sent.sum(),
                    answered.sum(),
                    succeeded.sum(),
                    failed.sum(),
                    skipped.sum(),
                    late.sum(),
                    opened.get(),
                    open.get(),
                    maxInFlight.getAndSet(inFlight.get()),
                    durations.drain(),
                    connectOnly.drain());
        }
    }

    private record Response(int status, boolean keepAlive, boolean success, double duration, double dnsLookup) {}

    /** One keep-alive HTTP/1.1 connection to the exporter, with its buffers and inflater. */
    private static final class Connection {
        private final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(16384);
        private final Inflater inflater = new Inflater(true);
        private byte[] body = new byte[4096];
        private byte[] text = new byte[16384];

        Connection(InetSocketAddress to) throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(to);
        }

        void close() {
            inflater.end();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        Response exchange(byte[] request) throws IOException, DataFormatException {
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            in.clear();
            int headEnd;
            while ((headEnd = headEnd()) < 0) {
                fill();
            }
            String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            boolean gzip = false;
            boolean keepAlive = true;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "content-encoding" -> gzip = value.equals("gzip");
                    case "connection" -> keepAlive = !value.equals("close");
                    default -> {}
                }
            }
            int pos = headEnd + 4;
            int n = chunked ? readChunked(pos) : readLength(pos, length);
            int textLength = gzip ? gunzip(n) : copy(n);
            return parse(status, keepAlive, textLength);
        }

        /** Reads more into {@code in}, growing nothing: a /probe answer is a few hundred bytes. */
        private void fill() throws IOException {
            if (!in.hasRemaining()) {
                throw new IOException("response over " + in.capacity() + " bytes");
            }
            if (channel.read(in) < 0) {
                throw new EOFException("exporter closed the connection");
            }
        }

        private int headEnd() {
            byte[] b = in.array();
            for (int i = 0; i + 3 < in.position(); i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private int readLength(int pos, long length) throws IOException {
            if (length < 0) {
                throw new IOException("no Content-Length and not chunked");
            }
            while (in.position() - pos < length) {
                fill();
            }
            ensureBody((int) length);
            System.arraycopy(in.array(), pos, body, 0, (int) length);
            return (int) length;
        }

        private int readChunked(int pos) throws IOException {
            int n = 0;
            while (true) {
                int eol;
                while ((eol = indexOfCrlf(pos)) < 0) {
                    fill();
                }
                String size = new String(in.array(), pos, eol - pos, StandardCharsets.ISO_8859_1);
                int semi = size.indexOf(';');
                int chunk = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                pos = eol + 2;
                if (chunk == 0) {
                    while (indexOfCrlf(pos) < 0) { // trailers end with an empty line
                        fill();
                    }
                    return n;
                }
                while (in.position() - pos < chunk + 2) {
                    fill();
                }
                ensureBody(n + chunk);
                System.arraycopy(in.array(), pos, body, n, chunk);
                n += chunk;
                pos += chunk + 2;
            }
        }

        private int indexOfCrlf(int from) {
            byte[] b = in.array();
            for (int i = from; i + 1 < in.position(); i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void ensureBody(int size) {
            if (body.length < size) {
                body = Arrays.copyOf(body, Math.max(size, body.length * 2));
            }
        }

        private int copy(int n) {
            if (text.length < n) {
                text = new byte[n];
            }
            System.arraycopy(body, 0, text, 0, n);
            return n;
        }

        /** A gzip member: its header (RFC 1952, optional fields included), then raw deflate. */
        private int gunzip(int n) throws IOException, DataFormatException {
            if (n < 18 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b || body[2] != 8) {
                throw new IOException("not gzip");
            }
            int flags = body[3] & 0xff;
            int p = 10;
            if ((flags & 4) != 0) {
                p += 2 + ((body[p] & 0xff) | (body[p + 1] & 0xff) << 8);
            }
            if ((flags & 8) != 0) {
                while (body[p++] != 0) {
                    // file name
                }
            }
            if ((flags & 16) != 0) {
                while (body[p++] != 0) {
                    // comment
                }
            }
            if ((flags & 2) != 0) {
                p += 2;
            }
            inflater.reset();
            inflater.setInput(body, p, n - p);
            int out = 0;
            while (!inflater.finished()) {
                if (out == text.length) {
                    text = Arrays.copyOf(text, text.length * 2);
                }
                int k = inflater.inflate(text, out, text.length - out);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated gzip body");
                }
                out += k;
            }
            return out;
        }

        /** Reads every line as a Prometheus parser would, keeping the three samples the report needs. */
        private Response parse(int status, boolean keepAlive, int n) {
            boolean success = false;
            double duration = Double.NaN;
            double dns = 0;
            int start = 0;
            for (int i = 0; i <= n; i++) {
                if (i == n || text[i] == '\n') {
                    if (i > start && text[start] != '#') {
                        String line = new String(text, start, i - start, StandardCharsets.US_ASCII);
                        int space = line.lastIndexOf(' ');
                        if (space > 0) {
                            String name = line.substring(0, space);
                            double v = Double.parseDouble(line.substring(space + 1));
                            switch (name) {
                                case "probe_success" -> success = v == 1;
                                case "probe_duration_seconds" -> duration = v;
                                case "probe_dns_lookup_time_seconds" -> dns = v;
                                default -> {}
                            }
                        }
                    }
                    start = i + 1;
                }
            }
            return new Response(status, keepAlive, success, duration, dns);
        }
    }

    /** Latency samples between two marks: mean, median, p10 and p90 in milliseconds. */
    private static final class Samples {
        private double[] values = new double[1024];
        private int n;

        synchronized void add(double v) {
            if (Double.isNaN(v) || n == 4_000_000) {
                return;
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        synchronized String drain() {
            double[] v = Arrays.copyOf(values, n);
            n = 0;
            if (v.length == 0) {
                return "n=0";
            }
            Arrays.sort(v);
            double sum = 0;
            for (double x : v) {
                sum += x;
            }
            return String.format(
                    Locale.ROOT,
                    "n=%d,mean=%.4f,median=%.4f,p10=%.4f,p90=%.4f",
                    v.length,
                    sum / v.length * 1000,
                    v[v.length / 2] * 1000,
                    v[(int) (v.length * 0.1)] * 1000,
                    v[Math.min(v.length - 1, (int) (v.length * 0.9))] * 1000);
        }
    }
}
