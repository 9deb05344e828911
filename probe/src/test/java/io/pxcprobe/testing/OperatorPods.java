package io.pxcprobe.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods as the Percona operator's StatefulSet makes them: its labels, its named mysqld container ports. */
public final class OperatorPods {

    private OperatorPods() {
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
                    .endMetadata()
                    .withNewSpec()
                        .withNodeName(node)
                        .withHostname(name)
                        .withSubdomain(cluster + "-pxc")
                        .addNewContainer()
                            .withName("pxc")
                            .withImage("percona/percona-xtradb-cluster:8.0")
                            .addNewPort().withName("mysql").withContainerPort(mysqlPort).endPort()
                            .addNewPort().withName("sst").withContainerPort(sstPort).endPort()
                            .addNewPort().withName("write-set").withContainerPort(gcommPort).endPort()
                            .addNewPort().withName("ist").withContainerPort(istPort).endPort()
                        .endContainer()
                    .endSpec()
                    .withNewStatus()
                        .withPhase("Running")
                        .withPodIP(ip)
                        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                    .endStatus();
            if (partOfLabel) {
                pod.editMetadata().addToLabels("app.kubernetes.io/part-of", "percona-xtradb-cluster").endMetadata();
            }
            return pod.build();
        }
    }
}
