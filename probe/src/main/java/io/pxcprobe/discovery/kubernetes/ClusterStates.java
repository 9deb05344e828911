package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;
import java.util.Set;

/** The operator's PerconaXtraDBCluster objects, read without model classes. */
final class ClusterStates {

    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("pxc.percona.com")
            .withVersion("v1")
            .withKind("PerconaXtraDBCluster")
            .withPlural("perconaxtradbclusters")
            .withNamespaced(true)
            .build();

    /** {@code status.state} values of the operator; anything else is reported as {@code unknown} to keep labels bounded. */
    static final Set<String> KNOWN = Set.of("initializing", "paused", "stopping", "ready", "error");

    private ClusterStates() {}

    static String key(GenericKubernetesResource cr) {
        return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
    }

    /** The cluster's state, {@code unknown} when the operator has not written one that we know. */
    static String stateOf(GenericKubernetesResource cr) {
        Object state = cr.get("status", "state");
        if (state instanceof String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            return KNOWN.contains(v) ? v : "unknown";
        }
        return "unknown";
    }
}
