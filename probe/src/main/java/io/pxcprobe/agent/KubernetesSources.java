package io.pxcprobe.agent;

import io.pxcprobe.config.KubernetesDiscoveryConfig;
import io.pxcprobe.discovery.DiscoverySource;
import io.pxcprobe.discovery.kubernetes.KubernetesDiscovery;

/** The one place the agent reaches into Kubernetes discovery. */
final class KubernetesSources {
    private KubernetesSources() {}

    static DiscoverySource create(KubernetesDiscoveryConfig config, String node, String kubeconfigOverride) {
        return KubernetesDiscovery.create(config, node, kubeconfigOverride);
    }
}
