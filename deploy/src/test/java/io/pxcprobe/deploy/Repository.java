package io.pxcprobe.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the source tree and the build's scratch space, from the system properties surefire passes. */
final class Repository {
    private Repository() {}

    static Path root() {
        String root = System.getProperty("pxcprobe.root");
        if (root == null) {
            throw new IllegalStateException("system property pxcprobe.root is not set (run through Maven)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path chart() {
        return root().resolve("charts/pxc-probe");
    }

    static Path rulesFile() {
        return chart().resolve("files/pxc-probe.rules.yml");
    }

    static Path dashboards() {
        return root().resolve("grafana");
    }

    static Path runbooks() {
        return root().resolve("docs/runbooks");
    }

    static Path testResource(String name) {
        return root().resolve("deploy/src/test/resources").resolve(name);
    }

    /** A fresh directory under target/scratch, unique per call. */
    static Path scratch(String prefix) throws IOException {
        Path base = root().resolve("deploy/target/scratch");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }
}
