package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;

/** Short, stable descriptions of API failures for logs and {@code /readyz}; never metric labels. */
final class Failures {

    private Failures() {}

    /** The HTTP status the API server answered, found anywhere in the cause chain; 0 when none. */
    static int httpCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getCode();
            }
        }
        return 0;
    }

    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof WatcherException w && w.isHttpGone()) {
                return "watch expired (410 Gone), re-listing";
            }
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                return switch (k.getCode()) {
                    case 401 -> "unauthorized (401): the credentials were rejected";
                    case 403 -> "forbidden (403): RBAC does not allow list/watch";
                    case 404 -> "not found (404)";
                    case 410 -> "watch expired (410 Gone), re-listing";
                    default ->
                        "HTTP " + k.getCode()
                                + (k.getStatus() != null && k.getStatus().getReason() != null
                                        ? " " + k.getStatus().getReason()
                                        : "");
                };
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return "API server unreachable: " + root.getClass().getSimpleName() + (msg == null ? "" : " " + msg);
    }
}
