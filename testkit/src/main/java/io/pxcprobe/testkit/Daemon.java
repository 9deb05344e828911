package io.pxcprobe.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A long-running process a test starts: in a session of its own, stdin from /dev/null, its output
 * appended to a log file, and ended by its PID (and its children's), never by name.
 */
public final class Daemon implements AutoCloseable {
    /** How long SIGTERM has before SIGKILL: a database flushing its tables needs that much. */
    public static final Duration GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;

    public static Daemon start(String name, Path log, List<String> argv) {
        return start(name, log, argv, env -> {});
    }

    /** @param environment edits the inherited environment (may clear it) */
    public static Daemon start(String name, Path log, List<String> argv, Consumer<Map<String, String>> environment) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment.accept(pb.environment());
        try {
            return new Daemon(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to exit by itself; empty if it is still running at the deadline. */
    public OptionalInt awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue())
                    : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    public String logTail(int lines) {
        return tail(log, lines);
    }

    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Ends it as {@link #end} does; whether it exited on SIGTERM within {@code grace}. */
    public boolean stop(Duration grace) {
        return end(process.toHandle(), grace);
    }

    @Override
    public void close() {
        stop(GRACE);
    }

    /**
     * The one way the tests end a process: SIGTERM to it and its children, SIGKILL to whatever is
     * left after {@code grace}, then at most 5 s more for the kill to land. Returns whether all
     * had exited on SIGTERM.
     */
    public static boolean end(ProcessHandle process, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean clean = true;
        for (ProcessHandle h : all) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                Awaits.pause(Duration.ofMillis(50));
            }
            if (h.isAlive()) {
                clean = false;
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
        }
        return clean;
    }

    @Override
    public String toString() {
        return name + "[" + pid() + "]";
    }
}
