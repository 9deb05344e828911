package io.pxcprobe.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands for tests: short ones to completion, daemons in the background, ended by PID. */
public final class Proc {
    private Proc() {
    }

    /** Runs a command to completion (at most 30 s) and returns its output; throws on a non-zero exit. */
    public static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.code + ": " + r.output);
        }
        return r.output;
    }

    public record Result(int code, String output) {
    }

    public static Result tryRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a daemon with its output in {@code log}; stop it with {@link #stop(Process)}. */
    public static Process start(Path log, List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Ends a process this test started: SIGTERM, then SIGKILL after 5 s. */
    public static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails the test run early, with a clear message, when a required tool is missing. */
    public static void require(String tool, String debianPackage) {
        if (tryRun("sh", "-c", "command -v " + tool).code != 0) {
            throw new IllegalStateException(tool + " is missing: install Debian package " + debianPackage
                    + " (.ci/install-deps does)");
        }
    }
}
