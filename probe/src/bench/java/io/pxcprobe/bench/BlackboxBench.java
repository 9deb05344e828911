package io.pxcprobe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * blackbox_exporter, the packaged agent and the bare connect loop, one after the other, on the same
 * targets at the same interval for the same window (probe/bench/blackbox/run.sh starts it).
 *
 * <p>{@code cpu DIST BENCH_CP TARGETS INTERVAL_MS WARMUP_S WINDOW_S SCRAPE_S CONNECTIONS}: TARGETS
 * loopback addresses 127.1.x.y, port 4567, where a {@link BenchListener} accepts and closes. CPU
 * (utime+stime) per 1,000 probes of each program and of what drives it, RSS at the end of the window
 * and its peak, and the two ratios of issue 14: agent / blackbox_exporter (exporter only) and agent /
 * bare loop.
 *
 * <p>{@code latency DIST BENCH_CP NETNS ADDRESS_PREFIX TARGETS INTERVAL_MS WARMUP_S WINDOW_S DELAY_MS
 * CONNECTIONS}: TARGETS addresses ADDRESS_PREFIX1.. (routed into the network namespace NETNS by the
 * script, which also delays the namespace's SYN-ACKs by DELAY_MS) with a {@link BenchListener} inside
 * NETNS; blackbox_exporter's {@code probe_duration_seconds} per probe, and the agent's latency (the
 * mean from its histogram's sum and count, the median from {@code /targets} read every interval),
 * each against the injected delay.
 */
public final class BlackboxBench {
    private static final int PORT = 4567;
    private static final String MODULE = "tcp_connect";
    /** The agent's TCP mode: connect (the standalone default) or syn (the chart's, with CAP_NET_RAW). */
    private static final String AGENT_MODE = System.getenv().getOrDefault("AGENT_MODE", "connect");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LATENCY = Pattern.compile("\"latencySeconds\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern KERNEL_RTT = Pattern.compile("\"kernelRttSeconds\"\\s*:\\s*([0-9.eE+-]+)");

    private BlackboxBench() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("pxc-probe-blackbox");
        // stopped by a signal, the finally blocks do not run: end the children and remove the work directory
        Thread cleanup = new Thread(() -> {
            for (Process p : Child.LIVE) {
                p.destroy();
            }
            for (Process p : Child.LIVE) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            removeUnlessKept(work);
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            switch (args[0]) {
                case "cpu" ->
                    cpu(
                            Path.of(args[1]),
                            args[2],
                            Integer.parseInt(args[3]),
                            Long.parseLong(args[4]),
                            Integer.parseInt(args[5]),
                            Integer.parseInt(args[6]),
                            Integer.parseInt(args[7]),
                            Integer.parseInt(args[8]),
                            work);
                case "latency" ->
                    latency(
                            Path.of(args[1]),
                            args[2],
                            args[3],
                            args[4],
                            Integer.parseInt(args[5]),
                            Long.parseLong(args[6]),
                            Integer.parseInt(args[7]),
                            Integer.parseInt(args[8]),
                            Double.parseDouble(args[9]),
                            Integer.parseInt(args[10]),
                            work);
                default -> throw new IllegalArgumentException("mode is cpu or latency: " + args[0]);
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            removeUnlessKept(work);
        }
    }

    private static void removeUnlessKept(Path work) {
        if (System.getenv("PXC_PROBE_BENCH_KEEP") != null) {
            System.out.println("kept " + work);
            return;
        }
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + work + ": " + e);
        }
    }

    // ---------------------------------------------------------------- CPU and memory, on loopback

    private record Usage(double cpuSeconds, long rssKiB, long hwmKiB) {}

    private record Row(
            String program,
            double probes,
            double seconds,
            double cpu,
            double driverCpu,
            String driverName,
            long rssKiB,
            long hwmKiB,
            String note) {
        double perK() {
            return cpu / probes * 1000;
        }

        double withDriverPerK() {
            return (cpu + driverCpu) / probes * 1000;
        }
    }

    private static void cpu(
            Path dist,
            String cp,
            int targets,
            long intervalMillis,
            int warmup,
            int window,
            int scrapeSeconds,
            int connections,
            Path work)
            throws Exception {
        int maxSeconds = 3 * (warmup + window) + 180;
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            addresses.add(ProbeBench.loopbackAddress(i).getHostAddress());
        }
        System.out.printf(
                Locale.ROOT,
                "targets %d (127.1.x.y:%d, one address each, accept and close), interval %d ms, warm-up %d s,"
                        + " window %d s%n",
                targets,
                PORT,
                intervalMillis,
                warmup,
                window);
        try (Child listener = Child.java(
                dist,
                cp,
                "io.pxcprobe.bench.BenchListener",
                work.resolve("listener.log"),
                List.of(),
                Integer.toString(PORT),
                Integer.toString(maxSeconds))) {
            listener.await("listening", 30);
            Row bb = blackbox(dist, cp, addresses, intervalMillis, warmup, window, connections, work, maxSeconds);
            Row agent = agent(dist, cp, addresses, intervalMillis, warmup, window, scrapeSeconds, work, maxSeconds);
            Row bare = bare(dist, cp, targets, intervalMillis, warmup, window, work);
            table(bb, agent, bare);
        }
    }

    private static Row blackbox(
            Path dist,
            String cp,
            List<String> addresses,
            long intervalMillis,
            int warmup,
            int window,
            int connections,
            Path work,
            int maxSeconds)
            throws Exception {
        try (Child exporter = startBlackbox(work, maxSeconds)) {
            Path targetsFile = work.resolve("bb-targets.txt");
            Files.write(targetsFile, addresses.stream().map(a -> a + ":" + PORT).toList());
            try (Child driver = Child.java(
                    dist,
                    cp,
                    "io.pxcprobe.bench.BlackboxDriver",
                    work.resolve("bb-driver.log"),
                    List.of(),
                    "probe",
                    Integer.toString(exporter.port),
                    MODULE,
                    Long.toString(intervalMillis),
                    Integer.toString(connections),
                    Integer.toString(maxSeconds),
                    targetsFile.toString())) {
                Thread.sleep(warmup * 1000L);
                Usage e0 = usage(exporter.pid());
                Usage d0 = usage(driver.pid());
                String m0 = driver.mark();
                long t0 = System.nanoTime();
                Thread.sleep(window * 1000L);
                Usage e1 = usage(exporter.pid());
                Usage d1 = usage(driver.pid());
                String m1 = driver.mark();
                double seconds = (System.nanoTime() - t0) / 1e9;
                String fin = driver.finish();
                double probes = field(m1, "success") - field(m0, "success");
                double failed = field(m1, "failed") - field(m0, "failed");
                double skipped = field(m1, "skipped") - field(m0, "skipped");
                System.out.println("blackbox driver at window end: " + m1);
                System.out.println("blackbox driver at exit:       " + fin);
                return new Row(
                        "blackbox_exporter " + version(),
                        probes,
                        seconds,
                        e1.cpuSeconds - e0.cpuSeconds,
                        d1.cpuSeconds - d0.cpuSeconds,
                        "driver",
                        e1.rssKiB,
                        e1.hwmKiB,
                        String.format(
                                Locale.ROOT,
                                "probe_success=1 in %.0f answers; failed %.0f, skipped %.0f; keep-alive connections"
                                        + " opened %.0f (at most %d), at most %.0f requests in flight in the window;"
                                        + " driver RSS %d MiB; load average at window end %s",
                                probes,
                                failed,
                                skipped,
                                field(m1, "connections_opened"),
                                connections,
                                field(m1, "max_in_flight"),
                                d1.rssKiB / 1024,
                                loadAverage()));
            }
        }
    }

    private static Row agent(
            Path dist,
            String cp,
            List<String> addresses,
            long intervalMillis,
            int warmup,
            int window,
            int scrapeSeconds,
            Path work,
            int maxSeconds)
            throws Exception {
        try (Child agent = startAgent(dist, addresses, intervalMillis, work, maxSeconds)) {
            try (Child scraper = Child.java(
                    dist,
                    cp,
                    "io.pxcprobe.bench.BlackboxDriver",
                    work.resolve("scraper.log"),
                    List.of(),
                    "scrape",
                    Integer.toString(agent.port),
                    Integer.toString(scrapeSeconds),
                    Integer.toString(maxSeconds))) {
                Thread.sleep(warmup * 1000L);
                double p0 = agentMetrics(agent.port).probes;
                Usage a0 = usage(agent.pid());
                Usage s0 = usage(scraper.pid());
                long t0 = System.nanoTime();
                Thread.sleep(window * 1000L);
                Usage a1 = usage(agent.pid());
                Usage s1 = usage(scraper.pid());
                double seconds = (System.nanoTime() - t0) / 1e9;
                AgentMetrics m1 = agentMetrics(agent.port);
                String fin = scraper.finish();
                System.out.println("agent scraper at exit: " + fin);
                return new Row(
                        "pxc-probe agent (" + AGENT_MODE + ")",
                        m1.probes - p0,
                        seconds,
                        a1.cpuSeconds - a0.cpuSeconds,
                        s1.cpuSeconds - s0.cpuSeconds,
                        "scraper",
                        a1.rssKiB,
                        a1.hwmKiB,
                        String.format(
                                Locale.ROOT,
                                "whole /metrics every %d s (gzip, OpenMetrics), %s since start; scraper RSS %d MiB;"
                                        + " load average at window end %s",
                                scrapeSeconds,
                                fin.replaceFirst("^final ", ""),
                                s1.rssKiB / 1024,
                                loadAverage()));
            }
        }
    }

    private static Row bare(Path dist, String cp, int targets, long intervalMillis, int warmup, int window, Path work)
            throws Exception {
        long rate = Math.round(targets * 1000.0 / intervalMillis);
        try (Child bare = Child.java(
                dist,
                cp,
                "io.pxcprobe.bench.BareConnectLoop",
                work.resolve("bare.log"),
                List.of(),
                Integer.toString(targets),
                Integer.toString(PORT),
                Long.toString(rate),
                Integer.toString(warmup + window),
                "1")) {
            Thread.sleep(warmup * 1000L);
            Usage b0 = usage(bare.pid());
            long t0 = System.nanoTime();
            Thread.sleep(window * 1000L);
            Usage b1 = usage(bare.pid());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String load = loadAverage();
            String done = bare.await("probes ", 30);
            long total = Long.parseLong(done.substring("probes ".length()).trim());
            // the loop fires at a constant rate from its start: the window's share of its total
            double probes = total * (double) window / (warmup + window);
            return new Row(
                    "bare connect loop",
                    probes,
                    seconds,
                    b1.cpuSeconds - b0.cpuSeconds,
                    0,
                    "",
                    b1.rssKiB,
                    b1.hwmKiB,
                    String.format(
                            Locale.ROOT,
                            "%d probes in %d s, the window's share counted; load average at window end %s",
                            total,
                            warmup + window,
                            load));
        }
    }

    private static void table(Row bb, Row agent, Row bare) {
        System.out.println();
        System.out.println("| program | probes/s | CPU s per 1,000 probes (program) | CPU s per 1,000 probes (program +"
                + " its driver) | driver's own | RSS at window end (peak) |");
        System.out.println("|---|---|---|---|---|---|");
        for (Row r : List.of(bb, agent, bare)) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.0f | %.3f | %s | %s | %.1f (%.1f) MiB |%n",
                    r.program,
                    r.probes / r.seconds,
                    r.perK(),
                    r.driverName.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", r.withDriverPerK()),
                    r.driverName.isEmpty()
                            ? "-"
                            : String.format(Locale.ROOT, "%s %.3f", r.driverName, r.driverCpu / r.probes * 1000),
                    r.rssKiB / 1024.0,
                    r.hwmKiB / 1024.0);
        }
        System.out.println();
        for (Row r : List.of(bb, agent, bare)) {
            System.out.printf(
                    Locale.ROOT,
                    "%s: %.2f CPU s in %.1f s (%.1f %% of a core); %s%n",
                    r.program,
                    r.cpu,
                    r.seconds,
                    r.cpu / r.seconds * 100,
                    r.note);
        }
        double vsBlackbox = agent.perK() / bb.perK();
        double vsBare = agent.perK() / bare.perK();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "ratio agent / blackbox_exporter (exporter only):   %.3f = 1/%.1f  (goal <= 1/6 = 0.167: %s)%n",
                vsBlackbox,
                1 / vsBlackbox,
                vsBlackbox <= 1 / 6.0 ? "met" : "NOT met");
        System.out.printf(
                Locale.ROOT,
                "ratio agent / bare connect loop:                   %.2f  (goal <= 1.2: %s)%n",
                vsBare,
                vsBare <= 1.2 ? "met" : "NOT met");
        System.out.printf(
                Locale.ROOT,
                "ratio agent+scraper / blackbox_exporter+driver:   %.3f = 1/%.1f%n",
                agent.withDriverPerK() / bb.withDriverPerK(),
                bb.withDriverPerK() / agent.withDriverPerK());
    }

    // ---------------------------------------------------------------- latency against a delay

    private static void latency(
            Path dist,
            String cp,
            String netns,
            String prefix,
            int targets,
            long intervalMillis,
            int warmup,
            int window,
            double delayMillis,
            int connections,
            Path work)
            throws Exception {
        int maxSeconds = 2 * (warmup + window) + 120;
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= targets; i++) {
            addresses.add(prefix + i);
        }
        List<String> rows = new ArrayList<>();
        try (Child listener = Child.java(
                dist,
                cp,
                "io.pxcprobe.bench.BenchListener",
                work.resolve("ns-listener.log"),
                List.of("ip", "netns", "exec", netns),
                Integer.toString(PORT),
                Integer.toString(maxSeconds))) {
            listener.await("listening", 30);
            try (Child exporter = startBlackbox(work, maxSeconds)) {
                Path targetsFile = work.resolve("lat-targets.txt");
                Files.write(
                        targetsFile, addresses.stream().map(a -> a + ":" + PORT).toList());
                try (Child driver = Child.java(
                        dist,
                        cp,
                        "io.pxcprobe.bench.BlackboxDriver",
                        work.resolve("lat-driver.log"),
                        List.of(),
                        "probe",
                        Integer.toString(exporter.port),
                        MODULE,
                        Long.toString(intervalMillis),
                        Integer.toString(connections),
                        Integer.toString(maxSeconds),
                        targetsFile.toString())) {
                    Thread.sleep(warmup * 1000L);
                    driver.mark(); // drops the warm-up's samples
                    Thread.sleep(window * 1000L);
                    String m = driver.mark();
                    driver.finish();
                    System.out.println("blackbox driver: " + m);
                    rows.add(latencyRow("blackbox_exporter probe_duration_seconds", stats(m, "duration"), delayMillis));
                    rows.add(latencyRow(
                            "blackbox_exporter probe_duration_seconds - probe_dns_lookup_time_seconds",
                            stats(m, "dns_free"),
                            delayMillis));
                }
            }
            try (Child agent = startAgent(dist, addresses, intervalMillis, work, maxSeconds)) {
                Thread.sleep(warmup * 1000L);
                AgentMetrics h0 = agentMetrics(agent.port);
                List<Double> latencies = new ArrayList<>();
                List<Double> kernelRtts = new ArrayList<>();
                long start = System.nanoTime();
                for (int k = 1; k <= window * 1000L / intervalMillis; k++) {
                    long wait = start + k * intervalMillis * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String json = get(agent.port, "/targets?format=json");
                    collect(LATENCY, json, latencies);
                    collect(KERNEL_RTT, json, kernelRtts);
                }
                AgentMetrics h1 = agentMetrics(agent.port);
                double count = h1.latencyCount - h0.latencyCount;
                double mean = count > 0 ? (h1.latencySum - h0.latencySum) / count * 1000 : Double.NaN;
                rows.add(String.format(
                        Locale.ROOT,
                        "| pxc-probe agent: pxc_probe_tcp_connect_duration_seconds sum/count | %.0f | %.3f | - | - |"
                                + " - | %+.3f | - |",
                        count,
                        mean,
                        mean - delayMillis));
                rows.add(latencyRow(
                        "pxc-probe agent: /targets latencySeconds (read every interval)",
                        stats(latencies),
                        delayMillis));
                rows.add(latencyRow(
                        "pxc-probe agent: /targets kernelRttSeconds (read every interval)",
                        stats(kernelRtts),
                        delayMillis));
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%d targets in %s, SYN-ACKs delayed %.1f ms, interval %d ms, %d s after %d s warm-up (ms)%n",
                targets,
                netns,
                delayMillis,
                intervalMillis,
                window,
                warmup);
        System.out.println(
                "| measured by | samples | mean | median | p10 | p90 | mean - injected | median - injected |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static void collect(Pattern p, String json, List<Double> into) {
        Matcher m = p.matcher(json);
        while (m.find()) {
            into.add(Double.parseDouble(m.group(1)));
        }
    }

    /** n, mean, median, p10, p90 (ms) from the driver's "n=..,mean=..,median=..,p10=..,p90=.." field. */
    private static double[] stats(String mark, String field) {
        Matcher m = Pattern.compile(field + "=n=(\\d+),mean=([0-9.]+),median=([0-9.]+),p10=([0-9.]+),p90=([0-9.]+)")
                .matcher(mark);
        if (!m.find()) {
            return new double[] {0, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double[] v = new double[5];
        for (int i = 0; i < 5; i++) {
            v[i] = Double.parseDouble(m.group(i + 1));
        }
        return v;
    }

    private static double[] stats(List<Double> seconds) {
        if (seconds.isEmpty()) {
            return new double[] {0, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double[] v = seconds.stream().mapToDouble(d -> d * 1000).sorted().toArray();
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        return new double[] {
            v.length,
            mean,
            v[v.length / 2],
            v[(int) (v.length * 0.1)],
            v[Math.min(v.length - 1, (int) (v.length * 0.9))]
        };
    }

    private static String latencyRow(String name, double[] s, double delayMillis) {
        return String.format(
                Locale.ROOT,
                "| %s | %.0f | %.3f | %.3f | %.3f | %.3f | %+.3f | %+.3f |",
                name,
                s[0],
                s[1],
                s[2],
                s[3],
                s[4],
                s[1] - delayMillis,
                s[2] - delayMillis);
    }

    // ---------------------------------------------------------------- the programs

    private static Child startBlackbox(Path work, int maxSeconds) throws Exception {
        Path config = work.resolve("blackbox.yml");
        // the probe timeout comes from X-Prometheus-Scrape-Timeout-Seconds less --timeout-offset (0.5 s)
        Files.writeString(config, """
                modules:
                  tcp_connect:
                    prober: tcp
                    timeout: 5s
                """);
        int port = freePort();
        Child exporter = Child.wrapped(
                List.of(
                        "prometheus-blackbox-exporter",
                        "--config.file=" + config,
                        "--web.listen-address=127.0.0.1:" + port),
                work.resolve("blackbox.log"),
                maxSeconds,
                port,
                false);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (get(port, "/metrics").contains("blackbox_exporter_config_last_reload_successful 1")) {
                    return exporter;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() > deadline || !exporter.process.isAlive()) {
                exporter.close();
                throw new IllegalStateException(
                        "blackbox_exporter did not start: " + Files.readString(work.resolve("blackbox.log")));
            }
            Thread.sleep(50);
        }
    }

    private static Child startAgent(Path dist, List<String> addresses, long intervalMillis, Path work, int maxSeconds)
            throws Exception {
        int port = freePort();
        StringBuilder sb = new StringBuilder("""
                node: bench
                http: {bind: 127.0.0.1, port: %d}
                probes:
                  tcp:
                    interval: %dms
                    timeout: %dms
                    ports:
                      gcomm: {port: %d, expect: listening, mode: connect}
                log: {level: warn}
                discovery:
                  kubernetes: {enabled: false}
                  static:
                    clusters:
                      - namespace: bench
                        name: c
                        members:
                """.formatted(port, intervalMillis, Math.min(500, intervalMillis), PORT));
        for (int i = 0; i < addresses.size(); i++) {
            sb.append("          - {pod: p")
                    .append(i)
                    .append(", address: ")
                    .append(addresses.get(i))
                    .append("}\n");
        }
        Path config = work.resolve("agent-" + addresses.size() + ".yaml");
        Files.writeString(config, sb.toString().replace("mode: connect}", "mode: " + AGENT_MODE + "}"));
        Child agent = Child.wrapped(
                List.of(dist.resolve("bin/pxc-probe").toString(), "--config", config.toString()),
                work.resolve("agent.log"),
                maxSeconds,
                port,
                true);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                if (agentMetrics(port).probes > 0) {
                    return agent;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() > deadline || !agent.process.isAlive()) {
                agent.close();
                throw new IllegalStateException(
                        "the agent served no probe result: " + Files.readString(work.resolve("agent.log")));
            }
            Thread.sleep(50);
        }
    }

    private record AgentMetrics(double probes, double latencySum, double latencyCount) {}

    private static AgentMetrics agentMetrics(int port) throws Exception {
        double probes = 0;
        double sum = 0;
        double count = 0;
        try (BufferedReader in = MetricsFetch.text(HTTP, port)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("pxc_probe_tcp_probes_total{")) {
                    probes += value(line);
                } else if (line.startsWith("pxc_probe_tcp_connect_duration_seconds_sum{")) {
                    sum += value(line);
                } else if (line.startsWith("pxc_probe_tcp_connect_duration_seconds_count{")) {
                    count += value(line);
                }
            }
        }
        return new AgentMetrics(probes, sum, count);
    }

    private static double value(String line) {
        String rest = line.substring(line.lastIndexOf('}') + 1).trim();
        int space = rest.indexOf(' ');
        return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder("prometheus-blackbox-exporter", "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("version ([0-9.]+)").matcher(out);
            return m.find() ? m.group(1) : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** The 1-, 5- and 15-minute load averages. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double field(String mark, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(mark);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in: " + mark);
        }
        return Double.parseDouble(m.group(1));
    }

    private static Usage usage(long pid) throws IOException {
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        return new Usage(ProbeBench.cpuSeconds(pid), kib(status, "VmRSS"), kib(status, "VmHWM"));
    }

    private static long kib(String status, String field) {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            return s.getLocalPort();
        }
    }

    /**
     * A process this harness started: its output goes to a log, and the lines a driver answers with
     * ({@code mark ...}, {@code final ...}) or a listener starts with can be awaited. {@code wrapped}
     * processes run under timeout(1), so that they end even if this harness dies without cleaning up;
     * their measured pid is timeout's child.
     */
    private static final class Child implements AutoCloseable {
        /** Every child still running: ended by the shutdown hook if the harness is stopped (SIGTERM). */
        static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

        final Process process;
        final int port;
        private final boolean wrapped;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final OutputStream stdin;
        private long pid;

        private Child(Process process, Path log, int port, boolean wrapped) {
            this.process = process;
            this.port = port;
            this.wrapped = wrapped;
            this.stdin = process.getOutputStream();
            LIVE.add(process);
            Thread.ofPlatform().daemon().name("bench-child-out").start(() -> pump(process.getInputStream(), log));
        }

        private void pump(InputStream out, Path log) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
                    PrintStream file = new PrintStream(
                            Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                            true,
                            StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    file.println(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output ended: " + e + ")");
            }
        }

        /** A bench class under the packaged launcher and its flags, as ProbeBench runs its reference. */
        static Child java(Path dist, String cp, String main, Path log, List<String> prefix, String... args)
                throws IOException {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(dist.resolve("bin/pxc-probe").toString());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PXC_PROBE_MAIN_CLASS", main);
            pb.environment().put("PXC_PROBE_EXTRA_CLASSPATH", cp);
            return new Child(pb.start(), log, 0, false);
        }

        static Child wrapped(List<String> command, Path log, int maxSeconds, int port, boolean agent)
                throws IOException {
            List<String> cmd = new ArrayList<>(List.of("timeout", "--kill-after=5", Integer.toString(maxSeconds)));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (agent) {
                pb.environment().remove("PXC_PROBE_MAIN_CLASS");
                pb.environment().remove("PXC_PROBE_EXTRA_CLASSPATH");
            }
            return new Child(pb.start(), log, port, true);
        }

        /** The measured process: timeout(1)'s child for a wrapped one (after the launcher's exec). */
        long pid() throws IOException {
            if (pid == 0) {
                if (!wrapped) {
                    pid = process.pid();
                } else {
                    pid = process.toHandle()
                            .children()
                            .findFirst()
                            .orElseThrow(() -> new IOException("timeout(1) started nothing"))
                            .pid();
                }
            }
            return pid;
        }

        String await(String prefix, int seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new IllegalStateException("no line starting '" + prefix + "' within " + seconds + " s");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        String mark() throws Exception {
            stdin.write("mark\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            return await("mark ", 20);
        }

        String finish() throws Exception {
            stdin.close();
            return await("final", 30);
        }

        @Override
        public void close() throws InterruptedException {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // gone already
            }
            if (process.isAlive() && !process.waitFor(wrapped ? 0 : 3, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            LIVE.remove(process);
        }
    }
}
