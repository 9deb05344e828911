package io.pxcprobe.discovery.kubernetes;

import io.pxcprobe.discovery.DiscoveryStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether discovery is in sync with the API server, and the one log line per change of that:
 * fabric8 retries on its own, so a failure lasting an hour must not log once per retry.
 * Used from the discovery thread only.
 */
final class SyncHealth {

    private static final Logger log = LoggerFactory.getLogger(KubernetesDiscovery.class);
    private static final String PENDING = "initial list pending";

    private boolean synced;
    private boolean up;
    private long lastSyncMillis;
    private long downSinceMillis;
    private String problem = "not started";
    private DiscoveryStatus status = new DiscoveryStatus(false, false, 0, problem);

    /** The first complete list arrived and the watch is open: from now on only events. */
    DiscoveryStatus markSynced(long nowMillis, int members) {
        if (!synced) {
            synced = true;
            downSinceMillis = 0;
            log.info("Kubernetes discovery synced: {} PXC members", members);
        }
        return observe(true, null, nowMillis, members);
    }

    /**
     * Records the current state; {@code up} counts only once synced. While in sync, the last sync
     * time follows the clock: it is the last moment the source was known to be current.
     */
    DiscoveryStatus observe(boolean watching, String cause, long nowMillis, int members) {
        boolean nowUp = synced && watching;
        String nowProblem = nowUp ? null : (cause != null ? cause : synced ? "watch not established" : PENDING);
        if (nowUp) {
            if (!up && downSinceMillis > 0) {
                log.info(
                        "Kubernetes discovery in sync again after {} s: {} PXC members",
                        (nowMillis - downSinceMillis) / 1000,
                        members);
            }
            lastSyncMillis = nowMillis;
            downSinceMillis = 0;
        } else if (up || (!nowProblem.equals(problem) && !nowProblem.equals(PENDING))) {
            if (up) {
                downSinceMillis = nowMillis;
            }
            if (downSinceMillis == 0) {
                downSinceMillis = nowMillis;
            }
            if (synced) {
                log.warn(
                        "Kubernetes discovery out of sync: {}; probing the last known {} PXC members",
                        nowProblem,
                        members);
            } else {
                log.warn("Kubernetes discovery not synced: {}", nowProblem);
            }
        }
        up = nowUp;
        problem = nowProblem;
        status = new DiscoveryStatus(up, synced, lastSyncMillis, problem);
        return status;
    }

    DiscoveryStatus status() {
        return status;
    }
}
