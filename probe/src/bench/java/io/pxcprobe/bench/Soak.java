package io.pxcprobe.bench;

import io.pxcprobe.testkit.MalformedRequests;
import io.pxcprobe.testkit.RawHttp;
import io.pxcprobe.testkit.RawHttp.Reply;
import io.pxcprobe.testkit.SlowClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The soak's client side (probe/bench/soak/run.sh starts the agent and the dropped targets): for the
 * whole window it keeps 60 slowloris connections open (6 from each of 10 addresses, under the per-client cap), sends malformed requests, reads /targets as text
 * and JSON, scrapes /metrics every 15 s and polls /healthz every second, and samples the agent's
 * RSS, descriptors and threads from /proc. Writes one CSV row per sample and prints a summary.
 *
 * <p>Arguments: agent pid, HTTP port, seconds, sample seconds, output directory.
 */
public final class Soak {
    private final long pid;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong healthPolls = new AtomicLong();
    private final AtomicLong healthFailed = new AtomicLong();
    private final AtomicLong healthSlowestMillis = new AtomicLong();
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong scrapesFailed = new AtomicLong();
    private final AtomicLong targetsReads = new AtomicLong();
    private final AtomicLong targetsFailed = new AtomicLong();
    private final AtomicLong malformedSent = new AtomicLong();
    private final AtomicLong malformedNot400 = new AtomicLong();
    private volatile boolean stop;

    private Soak(long pid, int port) {
        this.pid = pid;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        Soak soak = new Soak(Long.parseLong(args[0]), Integer.parseInt(args[1]));
        soak.run(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
    }

    private void run(int seconds, int sampleSeconds, Path out) throws Exception {
        Files.createDirectories(out);
        List<Thread> drivers = List.of(
                every("healthz", 1000, this::pollHealth),
                every("scrape", 15_000, this::scrape),
                every("targets", 5000, this::readTargets),
                every("malformed", 50, this::sendMalformed));
        List<long[]> samples = new ArrayList<>();
        try (SlowClients slow = SlowClients.start(
                        new InetSocketAddress("127.0.0.1", port),
                        IntStream.range(10, 20).mapToObj(i -> "127.0.0." + i).toList(),
                        6,
                        5000);
                PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("soak.csv")))) {
            csv.println(
                    "seconds,rss_kib,fds,threads,tcp_timeouts_total,skipped_total,health_failed,scrapes_failed,targets_failed");
            long t0 = System.nanoTime();
            for (int elapsed = 0; elapsed <= seconds; elapsed += sampleSeconds) {
                long waitNanos = t0 + elapsed * 1_000_000_000L - System.nanoTime();
                if (waitNanos > 0) {
                    Thread.sleep(waitNanos / 1_000_000);
                }
                if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
                    throw new IllegalStateException("the agent (pid " + pid + ") ended after " + elapsed + " s");
                }
                long[] s = {
                    elapsed,
                    status("VmRSS"),
                    count("fd"),
                    count("task"),
                    counter(line ->
                            line.startsWith("pxc_probe_tcp_probes_total{") && line.contains("result=\"timeout\"")),
                    counter(line -> line.startsWith("pxc_probe_skipped_runs_total")),
                    healthFailed.get(),
                    scrapesFailed.get(),
                    targetsFailed.get()
                };
                samples.add(s);
                csv.println(String.join(
                        ",", LongStream.of(s).mapToObj(Long::toString).toList()));
                csv.flush();
            }
            summarise(samples, slow);
        } finally {
            stop = true;
            for (Thread t : drivers) {
                t.join(10_000);
            }
        }
    }

    private void summarise(List<long[]> samples, SlowClients slow) {
        // the first minute is warm-up: classes load, the heap reaches its working size
        List<long[]> steady = samples.stream().filter(s -> s[0] >= 60).toList();
        long[] first = steady.getFirst();
        long[] last = steady.getLast();
        System.out.printf(Locale.ROOT, "soak: %d s, %d samples after a 60 s warm-up%n", last[0], steady.size());
        System.out.printf(
                Locale.ROOT,
                "RSS KiB: at 60 s %d, min %d, max %d, last %d; trend %.0f KiB/min (least squares)%n",
                first[1],
                steady.stream().mapToLong(s -> s[1]).min().orElseThrow(),
                steady.stream().mapToLong(s -> s[1]).max().orElseThrow(),
                last[1],
                slopePerMinute(steady, 1));
        System.out.printf(Locale.ROOT, "descriptors trend %.1f /min%n", slopePerMinute(steady, 2));
        System.out.printf(
                Locale.ROOT,
                "descriptors: at 60 s %d, max %d, last %d; threads: at 60 s %d, max %d, last %d%n",
                first[2],
                steady.stream().mapToLong(s -> s[2]).max().orElseThrow(),
                last[2],
                first[3],
                steady.stream().mapToLong(s -> s[3]).max().orElseThrow(),
                last[3]);
        System.out.printf(
                Locale.ROOT,
                "timeouts: %.0f /s; skipped runs since 60 s: %d%n",
                (last[4] - first[4]) / (double) (last[0] - first[0]),
                last[5] - first[5]);
        System.out.printf(
                Locale.ROOT,
                "/healthz: %d polls, %d failed, slowest %d ms; /metrics: %d scrapes, %d failed; "
                        + "/targets: %d reads, %d failed; malformed: %d sent, %d not answered 400; slowloris: %d opened, %d closed by the agent%n",
                healthPolls.get(),
                healthFailed.get(),
                healthSlowestMillis.get(),
                scrapes.get(),
                scrapesFailed.get(),
                targetsReads.get(),
                targetsFailed.get(),
                malformedSent.get(),
                malformedNot400.get(),
                slow.opened(),
                slow.closedByServer());
    }

    /** The least-squares slope of column {@code col} over the samples' seconds, per minute. */
    private static double slopePerMinute(List<long[]> samples, int col) {
        double n = samples.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (long[] s : samples) {
            sx += s[0];
            sy += s[col];
            sxx += (double) s[0] * s[0];
            sxy += (double) s[0] * s[col];
        }
        return 60 * (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private void pollHealth() {
        Reply r = RawHttp.get("127.0.0.1", port, "/healthz", 1000);
        healthPolls.incrementAndGet();
        healthSlowestMillis.accumulateAndGet(r.millis(), Math::max);
        if (r.status() != 200 || r.millis() > 1000) {
            healthFailed.incrementAndGet();
        }
    }

    private void scrape() {
        scrapes.incrementAndGet();
        if (!readWhole("/metrics")) {
            scrapesFailed.incrementAndGet();
        }
    }

    private void readTargets() {
        for (String path : List.of("/targets", "/targets?format=json")) {
            targetsReads.incrementAndGet();
            if (!readWhole(path)) {
                targetsFailed.incrementAndGet();
            }
        }
    }

    /** Reads a body to its end and drops it: at tens of thousands of checks it is hundreds of MiB. */
    private boolean readWhole(String path) {
        try {
            HttpResponse<InputStream> r = http.send(request(path), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The sum of the /metrics samples whose line matches, read line by line. */
    private long counter(Predicate<String> line) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> r = http.send(request("/metrics"), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            return (long) lines.filter(line)
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    private void sendMalformed() {
        long i = malformedSent.getAndIncrement();
        Reply r = RawHttp.exchange(
                "127.0.0.2", port, MalformedRequests.ALL.get((int) (i % MalformedRequests.ALL.size())), 2000);
        if (r.status() != 400) {
            malformedNot400.incrementAndGet();
        }
    }

    private Thread every(String name, long millis, Runnable task) {
        return Thread.ofPlatform().daemon().name("soak-" + name).start(() -> {
            while (!stop) {
                long t0 = System.nanoTime();
                task.run();
                long sleep = millis - (System.nanoTime() - t0) / 1_000_000;
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    private long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/" + pid + "/status");
    }

    private long count(String dir) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), dir))) {
            return entries.count();
        }
    }
}
