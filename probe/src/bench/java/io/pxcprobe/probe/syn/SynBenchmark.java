package io.pxcprobe.probe.syn;

import com.sun.management.OperatingSystemMXBean;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.tcp.TcpConnectProber;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark driver (not a test): SYN probes against the agent's connect-mode prober on the
 * same target in the same JVM. Run by probe/bench/syn/run.sh, which sets up the target and delay.
 * Args: ADDRESS PORT LABEL RTT_PROBES CPU_PROBES CONCURRENCY [syn-only]
 */
public final class SynBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private SynBenchmark() {}

    /** One probe's measurements: outcome, RTT in microseconds (kernel), user-space time in microseconds. */
    record Sample(TcpOutcome outcome, long kernelMicros, long userMicros) {}

    interface Mode extends AutoCloseable {
        String name();

        CompletableFuture<Sample> probe(InetSocketAddress target);

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        String label = args[2];
        int rttProbes = Integer.parseInt(args[3]);
        int cpuProbes = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);
        InetSocketAddress target = new InetSocketAddress(address, port);
        boolean synOnly = args.length > 6 && args[6].equals("syn-only");
        try (Mode syn = synMode();
                Mode connect = connectMode()) {
            List<Mode> compared = synOnly ? List.of(syn) : List.of(syn, connect);
            if (!synOnly) {
                for (Mode mode : compared) {
                    run(mode, target, 200, concurrency); // warm-up
                }
            }
            if (rttProbes > 0) {
                for (Mode mode : compared) {
                    List<Sample> samples = run(mode, target, rttProbes, 1);
                    report(label, mode.name(), samples);
                }
            }
            if (cpuProbes > 0) {
                OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long[] cpu = new long[2];
                long[] wall = new long[2];
                List<Mode> modes = List.of(syn, connect);
                for (int round = 0; round < 3; round++) {
                    for (int m = 0; m < 2; m++) {
                        System.gc();
                        long cpu0 = os.getProcessCpuTime();
                        long wall0 = System.nanoTime();
                        List<Sample> samples = run(modes.get(m), target, cpuProbes, concurrency);
                        cpu[m] += os.getProcessCpuTime() - cpu0;
                        wall[m] += System.nanoTime() - wall0;
                        requireAllOpen(modes.get(m).name(), samples);
                    }
                }
                double perThousandSyn = cpu[0] / 1e6 / (3.0 * cpuProbes) * 1000;
                double perThousandConnect = cpu[1] / 1e6 / (3.0 * cpuProbes) * 1000;
                for (int m = 0; m < 2; m++) {
                    System.out.printf(
                            Locale.ROOT,
                            "cpu target=%s mode=%s probes=%d concurrency=%d cpu_ms_per_1000=%.1f wall_s=%.2f%n",
                            label,
                            modes.get(m).name(),
                            3 * cpuProbes,
                            concurrency,
                            m == 0 ? perThousandSyn : perThousandConnect,
                            wall[m] / 1e9);
                }
                System.out.printf(
                        Locale.ROOT,
                        "cpu target=%s ratio syn/connect=%.2f%n",
                        label,
                        perThousandSyn / perThousandConnect);
            }
        }
    }

    private static List<Sample> run(Mode mode, InetSocketAddress target, int probes, int concurrency) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>(probes));
        for (int i = 0; i < probes; i++) {
            if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(mode.name() + ": no probe finished in 10 s");
            }
            mode.probe(target).whenComplete((s, t) -> {
                samples.add(s == null ? new Sample(TcpOutcome.ERROR, -1, -1) : s);
                slots.release();
            });
        }
        if (!slots.tryAcquire(concurrency, 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(mode.name() + ": probes still running after 10 s");
        }
        return new ArrayList<>(samples);
    }

    private static void requireAllOpen(String mode, List<Sample> samples) {
        long notOpen =
                samples.stream().filter(s -> s.outcome() != TcpOutcome.OPEN).count();
        if (notOpen > 0) {
            throw new IllegalStateException(mode + ": " + notOpen + " probes not open");
        }
    }

    private static void report(String label, String mode, List<Sample> samples) {
        requireAllOpen(mode, samples);
        long[] kernel =
                samples.stream().mapToLong(Sample::kernelMicros).sorted().toArray();
        long[] user = samples.stream().mapToLong(Sample::userMicros).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "rtt target=%s mode=%s probes=%d kernel_us p50=%d p90=%d p99=%d max=%d | user_us p50=%d p90=%d p99=%d%n",
                label,
                mode,
                samples.size(),
                at(kernel, 0.5),
                at(kernel, 0.9),
                at(kernel, 0.99),
                kernel[kernel.length - 1],
                at(user, 0.5),
                at(user, 0.9),
                at(user, 0.99));
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * sorted.length))];
    }

    private static Mode synMode() {
        SynProber prober = new SynProber();
        return new Mode() {
            @Override
            public String name() {
                return "syn";
            }

            @Override
            public CompletableFuture<Sample> probe(InetSocketAddress target) {
                return prober.probe(Checks.syn(target.getAddress(), target.getPort(), TIMEOUT))
                        .thenApply(
                                (TcpResult r) -> new Sample(r.outcome(), r.kernelRttMicros(), r.connectNanos() / 1000));
            }

            @Override
            public void close() {
                prober.close();
            }
        };
    }

    /** The agent's connect-mode prober (netty epoll, connect, RST at once by SO_LINGER 0, never read). */
    private static Mode connectMode() {
        MultiThreadIoEventLoopGroup group = Transport.EPOLL.newGroup(1, "bench-connect");
        TcpConnectProber prober = new TcpConnectProber(group, Transport.EPOLL);
        return new Mode() {
            @Override
            public String name() {
                return "connect";
            }

            @Override
            public CompletableFuture<Sample> probe(InetSocketAddress target) {
                TcpCheck syn = Checks.syn(target.getAddress(), target.getPort(), TIMEOUT);
                PortSpec p = syn.port();
                TcpCheck check = new TcpCheck(
                        syn.member(),
                        new PortSpec(p.name(), p.port(), p.expect(), p.interval(), p.timeout(), TcpMode.CONNECT));
                return prober.probe(check)
                        .thenApply(
                                (TcpResult r) -> new Sample(r.outcome(), r.kernelRttMicros(), r.connectNanos() / 1000));
            }

            @Override
            public void close() {
                prober.close();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        };
    }
}
