package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.Proc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Added latency. This kernel has no sch_netem, so packets go to an NFQUEUE that a small C
 * program (nfq-delay.c, compiled here against libnetfilter-queue) releases a fixed time later.
 * Where netem exists it is still not used: one mechanism keeps the figures comparable.
 */
final class Delayer {
    private final Path binary;

    private Delayer(Path binary) {
        this.binary = binary;
    }

    static Delayer compile(Path dir) {
        try (InputStream src = Delayer.class.getResourceAsStream("nfq-delay.c")) {
            Path c = dir.resolve("nfq-delay.c");
            Files.write(c, src.readAllBytes());
            Path bin = dir.resolve("nfq-delay");
            Proc.run(
                    "gcc",
                    "-O2",
                    "-Wall",
                    "-Werror",
                    "-o",
                    bin.toString(),
                    c.toString(),
                    "-lnetfilter_queue",
                    "-lnfnetlink");
            return new Delayer(bin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the delayer for queue {@code queue} in {@code ns}; ready once it has bound the queue. */
    Daemon start(NetNs ns, int queue, Duration delay, Path log) {
        Daemon d = ns.startDaemon(
                "nfq-delay", log, List.of(binary.toString(), Integer.toString(queue), Long.toString(delay.toMillis())));
        Awaits.poll("nfq-delay bound to queue " + queue, Duration.ofSeconds(10), () -> {
            if (!d.alive()) {
                throw new AssertionError("nfq-delay exited: " + d.logTail(5));
            }
            return d.logTail(5).contains("ready");
        });
        return d;
    }
}
