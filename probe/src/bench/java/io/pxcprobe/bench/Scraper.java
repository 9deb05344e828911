package io.pxcprobe.bench;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes the whole /metrics at a fixed interval the way Prometheus does (OpenMetrics preferred,
 * gzip), reading and discarding the body, and keeps the count and the slowest scrape.
 */
final class Scraper {
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-scraper");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    private int count;
    private int failed;
    private long bytes;
    private long slowestNanos;

    record Stats(int count, int failed, long lastBytes, double slowestSeconds) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d full scrapes (%d failed), %.1f MiB uncompressed each, slowest %.2f s",
                    count,
                    failed,
                    lastBytes / 1048576.0,
                    slowestSeconds);
        }
    }

    private Scraper(int port) {
        this.port = port;
    }

    static Scraper start(int port, int everySeconds) {
        Scraper s = new Scraper(port);
        s.timer.scheduleWithFixedDelay(s::scrapeOnce, everySeconds, everySeconds, TimeUnit.SECONDS);
        return s;
    }

    private synchronized void scrapeOnce() {
        long t0 = System.nanoTime();
        try {
            long n = 0;
            try (InputStream in = MetricsFetch.open(http, port, PROMETHEUS_ACCEPT)) {
                byte[] buf = new byte[65536];
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                }
            }
            bytes = n;
            count++;
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
        } catch (Exception e) {
            failed++;
        }
    }

    Stats stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
        synchronized (this) {
            return new Stats(count, failed, bytes, slowestNanos / 1e9);
        }
    }
}
