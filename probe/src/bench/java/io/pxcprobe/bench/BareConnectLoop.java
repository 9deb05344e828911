package io.pxcprobe.bench;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.net.Transport;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.tcp.TcpConnectProber;
import io.pxcprobe.target.Member;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference: the same connect-and-reset probes at the same rate, fired from a bare loop with no
 * scheduler, metrics, state or HTTP. The agent's CPU per probe is reported as a ratio to this.
 * Args: targets firstPort ratePerSecond seconds [portsPerMember=3]. Prints "probes N". With three
 * ports per member (as ProbeBench's agent has them) a third of the probes go to the open port and two
 * thirds are refused; with one, every probe is to firstPort, one address each.
 */
public final class BareConnectLoop {
    private BareConnectLoop() {}

    public static void main(String[] args) throws Exception {
        int targets = Integer.parseInt(args[0]);
        int firstPort = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int portsPerMember = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        List<TcpCheck> checks = new ArrayList<>();
        for (int i = 0; checks.size() < targets; i++) {
            InetAddress a = ProbeBench.loopbackAddress(i);
            Member m = new Member("bench", "c", "p" + i, a, "", true, Map.of());
            for (int p = 0; p < portsPerMember && checks.size() < targets; p++) {
                PortSpec spec = new PortSpec(
                        "p" + p,
                        firstPort + p,
                        PortSpec.Expect.REACHABLE,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        TcpMode.CONNECT);
                checks.add(new TcpCheck(m, spec));
            }
        }
        MultiThreadIoEventLoopGroup group = Transport.EPOLL.newGroup(2, "bare");
        TcpConnectProber prober = new TcpConnectProber(group, Transport.EPOLL);
        AtomicLong done = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        // a tick every millisecond; below 1,000 probes a second, one probe per longer tick
        long tickMicros = rate >= 1000 ? 1000 : 1_000_000L / Math.max(1, rate);
        int perTick = Math.max(1, rate / 1000);
        AtomicInteger next = new AtomicInteger();
        var tick = group.next()
                .scheduleAtFixedRate(
                        () -> {
                            for (int i = 0; i < perTick; i++) {
                                if (inFlight.get() >= 4096) {
                                    return;
                                }
                                TcpCheck c = checks.get(Math.floorMod(next.getAndIncrement(), checks.size()));
                                inFlight.incrementAndGet();
                                prober.probe(c).whenComplete((r, e) -> {
                                    inFlight.decrementAndGet();
                                    done.incrementAndGet();
                                });
                            }
                        },
                        0,
                        tickMicros,
                        TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        tick.cancel(false);
        System.out.println("probes " + done.get());
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).sync();
    }
}
