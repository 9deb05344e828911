package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxcprobe.testing.MockKubernetesApi;
import io.pxcprobe.testing.OperatorPods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A mock API server holding {@code clusters x pods} PXC pods on loopback addresses
 * (127.0.10.x), for the footprint benchmark (probe/bench/footprint). Writes a kubeconfig, prints
 * {@code READY}, and serves until its standard input closes or the time limit passes.
 *
 * <p>Arguments: kubeconfig-directory clusters pods-per-cluster max-seconds
 */
public final class FootprintMockApi {

    private FootprintMockApi() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int clusters = Integer.parseInt(args[1]);
        int pods = Integer.parseInt(args[2]);
        Duration limit = Duration.ofSeconds(Long.parseLong(args[3]));
        Files.createDirectories(dir);
        try (MockKubernetesApi api = new MockKubernetesApi();
                KubernetesClient admin = api.newClient(KubernetesClients::tune)) {
            int n = 0;
            for (int c = 1; c <= clusters; c++) {
                for (int p = 0; p < pods; p++) {
                    n++;
                    OperatorPods.create(
                            admin, OperatorPods.pod("db" + c, "cluster" + c, p, "127.0.10." + n, "node-" + p, true));
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
}
