package io.pxcprobe.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Listeners on the ports a backup pod listens on (gcomm 4567, SST 4444), in the agent's own pod:
 * each accepts and closes at once and counts who connected, so the sidecars in the PXC pods can
 * prove the paths back to this node.
 *
 * @param ports  port number by name (the {@code port} label), in file order
 * @param window how recent a connection from a PXC pod must be to prove its path to this node
 */
public record CanaryConfig(boolean enabled, String bind, Map<String, Integer> ports, Duration window) {

    public static final Map<String, Integer> BACKUP_PORTS = ordered("gcomm", 4567, "sst", 4444);

    public CanaryConfig {
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    }

    public static CanaryConfig off() {
        return new CanaryConfig(false, "0.0.0.0", BACKUP_PORTS, Duration.ofSeconds(60));
    }

    private static Map<String, Integer> ordered(String a, int pa, String b, int pb) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(a, pa);
        m.put(b, pb);
        return Collections.unmodifiableMap(m);
    }
}
