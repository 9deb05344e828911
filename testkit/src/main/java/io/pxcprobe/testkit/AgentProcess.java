package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * An agent started from its distribution: asked over HTTP as Prometheus would, ended by its own
 * PID with a bounded wait.
 */
public final class AgentProcess implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);

    private final Daemon process;
    private final HttpGet http;

    AgentProcess(Daemon process, String base) {
        this.process = process;
        this.http = new HttpGet(base);
    }

    /**
     * Polls /metrics until {@code complete} holds for its body or {@code within} is over, and
     * returns the last body read ("" when none): the caller asserts on it. An agent that exits
     * meanwhile fails at once, with its log.
     */
    public String awaitMetrics(Predicate<String> complete, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String body = "";
        while (true) {
            if (!process.alive()) {
                throw new AssertionError(
                        "the agent exited (" + process.awaitExit(Duration.ZERO) + "):\n" + process.logTail(40));
            }
            body = metrics();
            if (complete.test(body) || System.nanoTime() > deadline) {
                return body;
            }
            Awaits.pause(POLL);
        }
    }

    public String metrics() {
        return get("/metrics");
    }

    /** The body of {@code path} when it answers 200 within 5 s, else "". */
    public String get(String path) {
        try {
            HttpResponse<String> r = http.send(path);
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException notAnswering) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.alive();
    }

    public Path log() {
        return process.log();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    public OptionalInt awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    /** SIGTERM, SIGKILL after {@code grace}; whether it exited on SIGTERM. */
    public boolean stop(Duration grace) {
        return process.stop(grace);
    }

    @Override
    public void close() {
        process.close();
        http.close();
    }
}
