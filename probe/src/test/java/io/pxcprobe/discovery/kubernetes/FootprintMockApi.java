package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A mock API server holding {@code clusters x pods} PXC pods on consecutive addresses from
 * 127.0.10.1 (or a given first address), for the footprint and memory benchmarks
 * (probe/bench/footprint, probe/bench/memory). Writes a kubeconfig, prints {@code READY}, and
 * serves until its standard input closes or the time limit passes.
 *
 * <p>Arguments: kubeconfig-directory clusters pods-per-cluster max-seconds [first-address]
 */
public final class FootprintMockApi {

    private FootprintMockApi() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int clusters = Integer.parseInt(args[1]);
        int pods = Integer.parseInt(args[2]);
        Duration limit = Duration.ofSeconds(Long.parseLong(args[3]));
        int first = ipv4(args.length > 4 ? args[4] : "127.0.10.1");
        Files.createDirectories(dir);
        try (MockKubernetesApi api = new MockKubernetesApi();
                KubernetesClient admin = api.newClient(KubernetesClients::tune)) {
            int n = 0;
            for (int c = 1; c <= clusters; c++) {
                for (int p = 0; p < pods; p++) {
                    String address = dotted(first + n++);
                    OperatorPods.create(
                            admin, OperatorPods.pod("db" + c, "cluster" + c, p, address, "node-" + p, true));
                }
            }
            Path kubeconfig = api.writeKubeconfig(dir);
            System.out.println("READY " + kubeconfig);
            System.out.flush();
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline && System.in.read() >= 0) {
                // serve until stdin closes
            }
        }
        System.exit(0);
    }

    private static int ipv4(String dotted) throws UnknownHostException {
        byte[] b = InetAddress.getByName(dotted).getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    private static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }
}
