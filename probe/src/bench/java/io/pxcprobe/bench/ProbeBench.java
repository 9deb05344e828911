package io.pxcprobe.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the packaged agent against N loopback targets (a third open, two thirds refused) and
 * measures probes/s, CPU seconds per 1,000 probes, p99 schedule lateness, skipped runs and RSS;
 * then runs the bare reference loop at the same rate and reports the agent's CPU as a ratio to it.
 * While the agent runs, a scraper fetches the whole /metrics every {@code scrapeSeconds}, gzip and
 * OpenMetrics as Prometheus asks for it, so memory and lateness include what scrapes cost.
 * Args: dist targets intervalMillis warmupSeconds measureSeconds classpathOfBenchClasses [scrapeSeconds=30]
 */
public final class ProbeBench {
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} ([0-9.eE+-]+)$");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProbeBench() {}

    /** The i-th benchmark target address: 127.1.x.y, all of them on the loopback interface. */
    static InetAddress loopbackAddress(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]);
        int targets = Integer.parseInt(args[1]);
        long intervalMillis = Long.parseLong(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int measure = Integer.parseInt(args[4]);
        String benchClasspath = args[5];
        int scrapeSeconds = args.length > 6 ? Integer.parseInt(args[6]) : 30;
        Path work = Files.createTempDirectory("pxc-probe-bench");
        try {
            run(dist, targets, intervalMillis, warmup, measure, benchClasspath, scrapeSeconds, work);
        } finally {
            if (System.getenv("PXC_PROBE_BENCH_KEEP") == null) {
                try (var files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            } else {
                System.out.println("kept " + work);
            }
        }
    }

    private static void run(
            Path dist,
            int targets,
            long intervalMillis,
            int warmup,
            int measure,
            String benchClasspath,
            int scrapeSeconds,
            Path work)
            throws Exception {
        int firstPort = freePortRun();
        int httpPort = freePort();
        int members = (targets + 2) / 3;
        Files.writeString(work.resolve("bench.yaml"), config(members, firstPort, httpPort, intervalMillis));

        Process listener = javaChild(
                dist,
                benchClasspath,
                "io.pxcprobe.bench.BenchListener",
                work.resolve("listener.log"),
                Integer.toString(firstPort),
                Integer.toString(warmup * 2 + measure * 2 + 60));
        Process agent = null;
        Scraper scraper = null;
        try {
            awaitLog(work.resolve("listener.log"), "listening");
            // bounded by timeout(1): the agent ends even if this harness dies without cleaning up
            ProcessBuilder agentCmd = new ProcessBuilder(
                            "timeout",
                            Integer.toString(warmup + measure + 120),
                            dist.resolve("bin/pxc-probe").toString(),
                            "--config",
                            work.resolve("bench.yaml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("agent.log").toFile());
            agentCmd.environment().remove("PXC_PROBE_MAIN_CLASS");
            agentCmd.environment().remove("PXC_PROBE_EXTRA_CLASSPATH");
            agent = agentCmd.start();
            long started = System.nanoTime();
            String first = awaitMetrics(agent, httpPort, "pxc_probe_tcp_probes_total{");
            double startupSeconds = (System.nanoTime() - started) / 1e9;
            scraper = Scraper.start(httpPort, scrapeSeconds);
            Thread.sleep(warmup * 1000L);
            long agentPid = javaChildOf(agent.pid());
            Sample a = sample(agentPid, httpPort);
            Thread.sleep(measure * 1000L);
            Sample b = sample(agentPid, httpPort);
            double probes = b.probes - a.probes;
            double cpu = b.cpuSeconds - a.cpuSeconds;
            double p99 = quantile(0.99, diff(b.lateness, a.lateness));
            double p50 = quantile(0.50, diff(b.lateness, a.lateness));
            Scraper.Stats scrapes = scraper.stop();
            stop(agent);

            Process bare = javaChild(
                    dist,
                    benchClasspath,
                    "io.pxcprobe.bench.BareConnectLoop",
                    work.resolve("bare.log"),
                    Integer.toString(targets),
                    Integer.toString(firstPort),
                    Long.toString(Math.round(targets * 1000.0 / intervalMillis)),
                    Integer.toString(warmup + measure));
            Thread.sleep(warmup * 1000L);
            double bareCpuA = cpuSeconds(bare.pid());
            Thread.sleep(measure * 1000L);
            double bareCpuB = cpuSeconds(bare.pid());
            bare.waitFor(30, TimeUnit.SECONDS);
            long bareTotal = Long.parseLong(
                    Files.readString(work.resolve("bare.log")).replaceAll("(?s).*probes (\\d+).*", "$1"));
            double bareProbes = bareTotal * (double) measure / (warmup + measure);
            double agentCpuPerK = cpu / probes * 1000;
            double bareCpuPerK = (bareCpuB - bareCpuA) / bareProbes * 1000;

            System.out.printf(
                    Locale.ROOT,
                    """
                    targets %d (%d members x 3 ports: 1 open, 2 refused), interval %d ms, measured %d s after %d s warm-up
                    agent:     %.0f probes/s (expected %.0f), CPU %.3f s per 1,000 probes, lateness p50 %.2f ms p99 %.2f ms, \
                    skipped %.0f, RSS %d MiB (peak %d MiB), first probe result served %.2f s after start
                    scrapes:   %s
                    reference: bare connect loop, CPU %.3f s per 1,000 probes
                    ratio:     agent CPU per probe / reference = %.2f
                    """,
                    targets,
                    members,
                    intervalMillis,
                    measure,
                    warmup,
                    probes / measure,
                    targets * 1000.0 / intervalMillis,
                    agentCpuPerK,
                    p50 * 1000,
                    p99 * 1000,
                    b.skipped - a.skipped,
                    b.rssKiB / 1024,
                    b.hwmKiB / 1024,
                    startupSeconds,
                    scrapes,
                    bareCpuPerK,
                    agentCpuPerK / bareCpuPerK);
            if (first.isEmpty()) {
                throw new IllegalStateException("no metrics");
            }
        } finally {
            if (scraper != null) {
                scraper.stop();
            }
            if (agent != null) {
                stop(agent);
            }
            stop(listener);
        }
    }

    private record Sample(
            double probes, double skipped, double cpuSeconds, long rssKiB, long hwmKiB, Map<Double, Double> lateness) {}

    private static Sample sample(long pid, int port) throws Exception {
        double probes = 0;
        double skipped = 0;
        Map<Double, Double> buckets = new TreeMap<>();
        List<String> lines;
        try (var in = MetricsFetch.text(HTTP, port)) {
            // only the lines the report needs: a 10,000-target exposition is tens of MiB
            lines = in.lines()
                    .filter(l -> l.startsWith("pxc_probe_tcp_probes_total{")
                            || l.startsWith("pxc_probe_skipped_runs_total{")
                            || l.startsWith("pxc_probe_schedule_lateness_seconds_bucket{"))
                    .toList();
        }
        for (String line : lines) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            double v = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "pxc_probe_tcp_probes_total" -> probes += v;
                case "pxc_probe_skipped_runs_total" -> skipped += v;
                case "pxc_probe_schedule_lateness_seconds_bucket" -> {
                    if (m.group(2).contains("kind=\"tcp\"")) {
                        String le = m.group(2).replaceAll(".*le=\"([^\"]+)\".*", "$1");
                        buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), v);
                    }
                }
                default -> {}
            }
        }
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        return new Sample(probes, skipped, cpuSeconds(pid), kib(status, "VmRSS"), kib(status, "VmHWM"), buckets);
    }

    /** The agent's JVM: the child of timeout(1). */
    private static long javaChildOf(long pid) throws IOException {
        for (var c : ProcessHandle.of(pid).orElseThrow().children().toList()) {
            return c.pid();
        }
        throw new IOException("timeout(1) started no agent");
    }

    private static long kib(String status, String field) {
        return Long.parseLong(status.replaceAll("(?s).*" + field + ":\\s+(\\d+) kB.*", "$1"));
    }

    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static Map<Double, Double> diff(Map<Double, Double> b, Map<Double, Double> a) {
        Map<Double, Double> d = new TreeMap<>();
        b.forEach((le, v) -> d.put(le, v - a.getOrDefault(le, 0.0)));
        return d;
    }

    /** Quantile from cumulative buckets, linear within a bucket, as Prometheus' histogram_quantile does. */
    static double quantile(double q, Map<Double, Double> cumulative) {
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        double rank = q * total;
        double prevLe = 0;
        double prevCount = 0;
        for (var e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return prevLe;
                }
                double inBucket = e.getValue() - prevCount;
                return inBucket == 0 ? e.getKey() : prevLe + (e.getKey() - prevLe) * (rank - prevCount) / inBucket;
            }
            prevLe = e.getKey();
            prevCount = e.getValue();
        }
        return Double.NaN;
    }

    private static String config(int members, int firstPort, int httpPort, long intervalMillis) {
        StringBuilder sb = new StringBuilder("""
                node: bench
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp:
                    interval: %dms
                    timeout: %dms
                    ports:
                      gcomm: {port: %d, expect: listening}
                      ist: {port: %d, expect: reachable}
                      sst: {port: %d, expect: reachable}
                log: {level: warn}
                discovery:
                  kubernetes: {enabled: false}
                  static:
                    clusters:
                      - namespace: bench
                        name: c
                        members:
                """.formatted(
                httpPort, intervalMillis, Math.min(500, intervalMillis), firstPort, firstPort + 1, firstPort + 2));
        for (int i = 0; i < members; i++) {
            sb.append("          - {pod: p")
                    .append(i)
                    .append(", address: ")
                    .append(loopbackAddress(i).getHostAddress())
                    .append("}\n");
        }
        return sb.toString();
    }

    private static Process javaChild(Path dist, String cp, String main, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/pxc-probe").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PXC_PROBE_MAIN_CLASS", main);
        pb.environment().put("PXC_PROBE_EXTRA_CLASSPATH", cp);
        return pb.start();
    }

    /** The first lines of /metrics: enough to see that the agent serves probe results. */
    private static String get(int port) throws Exception {
        try (var in = MetricsFetch.text(HTTP, port)) {
            return in.lines()
                    .filter(l -> l.startsWith("pxc_probe_tcp_probes_total{"))
                    .findFirst()
                    .orElse("");
        }
    }

    private static String awaitMetrics(Process agent, int port, String needle) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && agent.isAlive()) {
            try {
                String m = get(port);
                if (m.contains(needle)) {
                    return m;
                }
            } catch (IOException notYet) {
                // agent starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("agent served no probe result (exited: " + !agent.isAlive() + ")");
    }

    private static void awaitLog(Path log, String needle) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(needle)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("listener did not start: " + Files.readString(log));
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Three consecutive free ports: open, refused, refused. */
    private static int freePortRun() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20000 + (int) (Math.random() * 20000);
            try (ServerSocket a = new ServerSocket(base);
                    ServerSocket b = new ServerSocket(base + 1);
                    ServerSocket c = new ServerSocket(base + 2)) {
                return base;
            } catch (IOException taken) {
                // try another run
            }
        }
        throw new IOException("no three consecutive free ports");
    }
}
