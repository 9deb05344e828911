package io.pxcprobe.discovery.kubernetes;

import io.pxcprobe.config.KubernetesDiscoveryConfig;
import java.util.List;

/**
 * Discovery configs for tests over PXC pods (the pods themselves: {@link io.pxcprobe.testing.OperatorPods}).
 * Kept free of test-only dependencies: the footprint benchmark packs this class alone beside
 * {@link FootprintDiscoveryOnly}.
 */
final class PxcPods {

    private PxcPods() {}

    static KubernetesDiscoveryConfig config(List<String> namespaces, String dnsService, boolean watchClusters) {
        return new KubernetesDiscoveryConfig(
                KubernetesDiscoveryConfig.Enabled.TRUE,
                namespaces,
                KubernetesDiscoveryConfig.DEFAULT_SELECTOR,
                "cluster.local",
                null,
                dnsService,
                watchClusters,
                true);
    }
}
