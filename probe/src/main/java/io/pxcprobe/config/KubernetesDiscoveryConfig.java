package io.pxcprobe.config;

import java.util.List;

/**
 * Discovery from the Kubernetes API: one informer on PXC pods, optional watches on
 * PerconaXtraDBCluster objects and on the endpoints of the cluster DNS service.
 *
 * @param enabled        AUTO turns it on when the agent runs in a pod (KUBERNETES_SERVICE_HOST set)
 * @param namespaces     namespaces to watch; empty means all
 * @param podSelector    label selector, evaluated by the API server
 * @param clusterDomain  the cluster's DNS domain
 * @param kubeconfig     a kubeconfig file, or null for the usual places
 * @param dnsService     {@code namespace/name} of the cluster DNS service whose endpoints are queried one by one, or null
 * @param watchClusters  also watch PerconaXtraDBCluster objects for their state
 * @param requireOperatorOwner accept a pod only when it is controlled by a StatefulSet that a
 *                       PerconaXtraDBCluster of the pod's cluster label controls, as the operator makes them;
 *                       false for installs without the operator
 */
public record KubernetesDiscoveryConfig(
        Enabled enabled,
        List<String> namespaces,
        String podSelector,
        String clusterDomain,
        String kubeconfig,
        String dnsService,
        boolean watchClusters,
        boolean requireOperatorOwner) {

    public static final String DEFAULT_SELECTOR =
            "app.kubernetes.io/name=percona-xtradb-cluster,app.kubernetes.io/component=pxc";

    public enum Enabled {
        AUTO,
        TRUE,
        FALSE
    }

    /** Whether discovery runs, given whether the process runs inside a pod. */
    public boolean active(boolean inPod) {
        return enabled == Enabled.TRUE || (enabled == Enabled.AUTO && inPod);
    }
}
