package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import io.pxcprobe.testkit.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the real promtool (Debian package {@code prometheus}). */
final class Promtool {
    private static final Path BINARY = Path.of(System.getProperty("pxcprobe.promtool", "/usr/bin/promtool"));
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Promtool() {}

    static Proc.Result run(Path workDir, String... args) {
        if (!Files.isExecutable(BINARY)) {
            fail("promtool not found at " + BINARY + ": install the Debian package 'prometheus' "
                    + "(apt-get install --no-install-recommends prometheus) or set -Dpxcprobe.promtool=PATH");
        }
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        return Proc.tryRunIn(workDir, TIMEOUT, command.toArray(String[]::new));
    }

    /** Runs promtool and fails the test with its output unless it exits 0. */
    static String succeed(Path workDir, String... args) {
        Proc.Result r = run(workDir, args);
        if (!r.ok()) {
            fail("promtool " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
