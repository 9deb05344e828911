package io.pxcprobe.testing;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;

/**
 * Pods as the Percona operator's StatefulSet makes them: its labels, its named mysqld container
 * ports, and its owner chain (Pod controlled by StatefulSet {@code <cluster>-pxc}, controlled by
 * the PerconaXtraDBCluster).
 */
public final class OperatorPods {

    private OperatorPods() {}

    /** Creates {@code pod}, and first the StatefulSet that controls it (owned by its cluster) unless it exists. */
    public static Pod create(KubernetesClient client, Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String set = pod.getMetadata().getOwnerReferences().isEmpty()
                ? null
                : pod.getMetadata().getOwnerReferences().getFirst().getName();
        if (set != null
                && set.endsWith("-pxc")
                && client.apps().statefulSets().inNamespace(ns).withName(set).get() == null) {
            client.resource(statefulSet(ns, set.substring(0, set.length() - "-pxc".length())))
                    .create();
        }
        return client.resource(pod).create();
    }

    /** The operator's StatefulSet {@code <cluster>-pxc}, controlled by PerconaXtraDBCluster {@code cluster}. */
    public static StatefulSet statefulSet(String namespace, String cluster) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(cluster + "-pxc")
                .addToOwnerReferences(controller("pxc.percona.com/v1", "PerconaXtraDBCluster", cluster))
                .endMetadata()
                .withNewSpec()
                .withServiceName(cluster + "-pxc")
                .withReplicas(3)
                .endSpec()
                .build();
    }

    static OwnerReference controller(String apiVersion, String kind, String name) {
        return new OwnerReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withName(name)
                .withUid(UUID.randomUUID().toString())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** A Running pod with the operator's default ports. */
    public static Pod pod(String namespace, String cluster, int ordinal, String ip, String node, boolean ready) {
        return builder(namespace, cluster, ordinal, ip, node).ready(ready).build();
    }

    /** A Ready, Running pod with the operator's default ports, unless changed. */
    public static Builder builder(String namespace, String cluster, int ordinal, String ip, String node) {
        return new Builder(namespace, cluster, ordinal, ip, node);
    }

    public static final class Builder {
        private final String namespace;
        private final String cluster;
        private final int ordinal;
        private final String ip;
        private final String node;
        private boolean ready = true;
        private boolean partOfLabel;
        private int mysqlPort = 3306;
        private int sstPort = 4444;
        private int gcommPort = 4567;
        private int istPort = 4568;

        private Builder(String namespace, String cluster, int ordinal, String ip, String node) {
            this.namespace = namespace;
            this.cluster = cluster;
            this.ordinal = ordinal;
            this.ip = ip;
            this.node = node;
        }

        public Builder ready(boolean ready) {
            this.ready = ready;
            return this;
        }

        /** Adds {@code app.kubernetes.io/part-of}, which newer operator versions set. */
        public Builder partOfLabel() {
            this.partOfLabel = true;
            return this;
        }

        /** The container ports named mysql, sst, write-set (gcomm) and ist. */
        public Builder ports(int mysql, int sst, int gcomm, int ist) {
            this.mysqlPort = mysql;
            this.sstPort = sst;
            this.gcommPort = gcomm;
            this.istPort = ist;
            return this;
        }

        public Pod build() {
            String name = cluster + "-pxc-" + ordinal;
            PodBuilder pod = new PodBuilder()
                    .withNewMetadata()
                    .withNamespace(namespace)
                    .withName(name)
                    .addToLabels("app.kubernetes.io/name", "percona-xtradb-cluster")
                    .addToLabels("app.kubernetes.io/instance", cluster)
                    .addToLabels("app.kubernetes.io/component", "pxc")
                    .addToLabels("app.kubernetes.io/managed-by", "percona-xtradb-cluster-operator")
                    .addToOwnerReferences(controller("apps/v1", "StatefulSet", cluster + "-pxc"))
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName(node)
                    .withHostname(name)
                    .withSubdomain(cluster + "-pxc")
                    .addNewContainer()
                    .withName("pxc")
                    .withImage("percona/percona-xtradb-cluster:8.0")
                    .addNewPort()
                    .withName("mysql")
                    .withContainerPort(mysqlPort)
                    .endPort()
                    .addNewPort()
                    .withName("sst")
                    .withContainerPort(sstPort)
                    .endPort()
                    .addNewPort()
                    .withName("write-set")
                    .withContainerPort(gcommPort)
                    .endPort()
                    .addNewPort()
                    .withName("ist")
                    .withContainerPort(istPort)
                    .endPort()
                    .endContainer()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Running")
                    .withPodIP(ip)
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .endCondition()
                    .endStatus();
            if (partOfLabel) {
                pod.editMetadata()
                        .addToLabels("app.kubernetes.io/part-of", "percona-xtradb-cluster")
                        .endMetadata();
            }
            return pod.build();
        }
    }
}
