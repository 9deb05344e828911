package io.pxcprobe.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips tests that need what only root has here. */
public final class Privileges {
    private Privileges() {}

    /** Network namespaces, raw sockets, host routes. */
    public static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces, raw sockets)");
    }
}
