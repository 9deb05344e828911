package io.pxcprobe.agent;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.discovery.DiscoverySource;
import java.util.List;

/** Creates the discovery sources besides the static one, from the configuration. */
@FunctionalInterface
public interface DiscoveryFactory {

    List<DiscoverySource> create(AgentConfig config);

    /** Kubernetes discovery when the configuration turns it on (by default: when running in a pod). */
    static DiscoveryFactory standard(String kubeconfigOverride) {
        return config -> {
            boolean inPod = System.getenv("KUBERNETES_SERVICE_HOST") != null;
            // a kubeconfig given on the command line asks for Kubernetes discovery outside a pod too
            if (!config.kubernetes().active(inPod || kubeconfigOverride != null)) {
                return List.of();
            }
            return List.of(KubernetesSources.create(config.kubernetes(), config.node(), kubeconfigOverride));
        };
    }

    static DiscoveryFactory none() {
        return config -> List.of();
    }
}
