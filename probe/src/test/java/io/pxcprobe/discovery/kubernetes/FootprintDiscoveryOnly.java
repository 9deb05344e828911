package io.pxcprobe.discovery.kubernetes;

import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Discovery alone on the distribution's runtime, for the footprint benchmark: the fabric8
 * client's share of start-up and memory, and the effect of leaving model modules out of lib/.
 * Prints the time from JVM start to the first snapshot and to the first TCP connect to a member
 * (a loopback address of the mock API), then stays up for the RSS sample.
 *
 * <p>Arguments: kubeconfig seconds-to-stay
 */
public final class FootprintDiscoveryOnly {

    private FootprintDiscoveryOnly() {}

    public static void main(String[] args) throws Exception {
        var config = PxcPods.config(List.of(), null, true);
        var first = new AtomicReference<TargetSnapshot>();
        var latch = new CountDownLatch(1);
        try (KubernetesDiscovery discovery = KubernetesDiscovery.create(config, null, args[0])) {
            discovery.start(s -> {
                if (first.compareAndSet(null, s)) {
                    latch.countDown();
                }
            });
            latch.await();
            long snapshotMs = ManagementFactory.getRuntimeMXBean().getUptime();
            Member m = first.get().members().getFirst();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(m.address(), m.ports().getOrDefault("gcomm", 4567)), 1000);
            } catch (IOException expected) {
                // refused: nothing listens on the mock pods' addresses; the attempt is what counts
            }
            long probeMs = ManagementFactory.getRuntimeMXBean().getUptime();
            System.out.printf(
                    "members=%d first_snapshot_ms=%d first_probe_ms=%d classes=%d%n",
                    first.get().members().size(),
                    snapshotMs,
                    probeMs,
                    ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]) * 1000);
            System.out.printf(
                    "classes_after=%d up=%s%n",
                    ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
                    discovery.status().up());
        }
    }
}
