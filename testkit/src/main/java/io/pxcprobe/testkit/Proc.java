package io.pxcprobe.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short command to completion with a deadline, stdin from /dev/null, stdout and stderr
 * merged into its output. Long-running processes are {@link Daemon}s.
 */
public final class Proc {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Proc() {}

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs within {@link #TIMEOUT} and fails, with the command, its exit code and its output, unless it exits 0. */
    public static String run(String... argv) {
        Result r = tryRun(TIMEOUT, argv);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exitCode() + ": "
                    + r.output().strip());
        }
        return r.output();
    }

    public static Result tryRun(String... argv) {
        return tryRun(TIMEOUT, argv);
    }

    /** A command still running at {@code timeout} is killed with its children, and that fails. */
    public static Result tryRun(Duration timeout, String... argv) {
        return tryRun(new ProcessBuilder(List.of(argv)), timeout);
    }

    /** As {@link #tryRun(Duration, String...)}, in {@code workDir}. */
    public static Result tryRunIn(Path workDir, Duration timeout, String... argv) {
        return tryRun(new ProcessBuilder(List.of(argv)).directory(workDir.toFile()), timeout);
    }

    private static Result tryRun(ProcessBuilder pb, Duration timeout) {
        List<String> argv = pb.command();
        pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            // read on a thread of its own, so that a chatty command cannot block on a full pipe
            CompletableFuture<String> out = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.complete("");
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv.getFirst(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + argv.getFirst(), e);
        }
    }

    /** Fails early, with a clear message, when a tool the test drives is missing. */
    public static void require(String tool, String debianPackage) {
        if (!tryRun("sh", "-c", "command -v " + tool).ok()) {
            throw new IllegalStateException(
                    tool + " is missing: install Debian package " + debianPackage + " (.ci/install-deps does)");
        }
    }
}
