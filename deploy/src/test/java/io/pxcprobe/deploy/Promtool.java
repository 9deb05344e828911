package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real promtool (Debian package {@code prometheus}). */
final class Promtool {
    private static final Path BINARY = Path.of(System.getProperty("pxcprobe.promtool", "/usr/bin/promtool"));
    private static final long TIMEOUT_SECONDS = 120;

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Promtool() {
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail("promtool not found at " + BINARY + ": install the Debian package 'prometheus' "
                    + "(apt-get install --no-install-recommends prometheus) or set -Dpxcprobe.promtool=PATH");
        }
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("promtool " + String.join(" ", args) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Runs promtool and fails the test with its output unless it exits 0. */
    static String succeed(Path workDir, String... args) throws IOException, InterruptedException {
        Result r = run(workDir, args);
        if (!r.ok()) {
            fail("promtool " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
