package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;

/** Builds the API client from the usual places. */
final class KubernetesClients {

    /**
     * First retry of a failed watch after 1 s, doubling up to fabric8's cap (32 s): an agent on
     * every node must not hammer an API server that is coming back.
     */
    private static final int WATCH_RECONNECT_MILLIS = 1_000;

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int REQUEST_TIMEOUT_MILLIS = 10_000;

    private KubernetesClients() {}

    /**
     * A kubeconfig given on the command line wins over the config file's, which wins over fabric8's
     * auto-configuration (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}).
     */
    static KubernetesClient create(String configuredKubeconfig, String kubeconfigOverride) {
        String file =
                kubeconfigOverride != null && !kubeconfigOverride.isBlank() ? kubeconfigOverride : configuredKubeconfig;
        Config config;
        if (file != null && !file.isBlank()) {
            File f = new File(file);
            if (!f.canRead()) {
                throw new KubernetesClientException("kubeconfig " + file + " is not readable");
            }
            config = Config.fromKubeconfig(f);
        } else {
            config = Config.autoConfigure(null);
        }
        tune(config);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static void tune(Config config) {
        config.setWatchReconnectInterval(WATCH_RECONNECT_MILLIS);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    }
}
