package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pxcprobe.config.KubernetesDiscoveryConfig;
import java.util.List;

/** Pods shaped like the Percona operator's PXC pods, and discovery configs, for tests. */
final class PxcPods {

    private PxcPods() {
    }

    static KubernetesDiscoveryConfig config(List<String> namespaces, String dnsService, boolean watchClusters) {
        return new KubernetesDiscoveryConfig(KubernetesDiscoveryConfig.Enabled.TRUE, namespaces,
                KubernetesDiscoveryConfig.DEFAULT_SELECTOR, "cluster.local", null, dnsService, watchClusters);
    }

    static Pod pod(String namespace, String cluster, int ordinal, String ip, String node, boolean ready) {
        return new PodBuilder()
                .withNewMetadata()
                    .withNamespace(namespace)
                    .withName(cluster + "-pxc-" + ordinal)
                    .addToLabels("app.kubernetes.io/name", "percona-xtradb-cluster")
                    .addToLabels("app.kubernetes.io/instance", cluster)
                    .addToLabels("app.kubernetes.io/component", "pxc")
                    .addToLabels("app.kubernetes.io/managed-by", "percona-xtradb-cluster-operator")
                .endMetadata()
                .withNewSpec()
                    .withNodeName(node)
                    .withHostname(cluster + "-pxc-" + ordinal)
                    .withSubdomain(cluster + "-pxc")
                    .addNewContainer()
                        .withName("pxc")
                        .withImage("percona/percona-xtradb-cluster:8.0")
                        .addNewPort().withName("mysql").withContainerPort(3306).endPort()
                        .addNewPort().withName("sst").withContainerPort(4444).endPort()
                        .addNewPort().withName("write-set").withContainerPort(4567).endPort()
                        .addNewPort().withName("ist").withContainerPort(4568).endPort()
                    .endContainer()
                .endSpec()
                .withNewStatus()
                    .withPhase("Running")
                    .withPodIP(ip)
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus()
                .build();
    }
}
