package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.NetNs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** The Galera arbitrator (galera-arbitrator-4) started from an agent's node, as a backup pod would be. */
public record Garbd(Daemon process, Instant started) implements AutoCloseable {

    /** {@code providerOptions}: given to garbd with {@code --options} when not empty (the cluster's TLS settings). */
    static Garbd start(NetNs node, String group, List<String> memberIps, String providerOptions, Path log) {
        Instant t = Instant.now();
        List<String> argv = new ArrayList<>(List.of(
                "garbd",
                "--address",
                "gcomm://" + String.join(",", memberIps),
                "--group",
                group,
                "--name",
                "e2e-garbd"));
        if (!providerOptions.isEmpty()) {
            argv.addAll(List.of("--options", providerOptions));
        }
        Daemon d = node.startDaemon("garbd", log, argv);
        return new Garbd(d, t);
    }

    /**
     * garbd as the operator's backup pod runs it: it asks {@code donor} for a state transfer to
     * {@code sst} ({@code method:address}), which the donor streams to that address.
     */
    static Garbd requestSst(NetNs node, String group, List<String> memberIps, String donor, String sst, Path log) {
        Instant t = Instant.now();
        List<String> argv = List.of(
                "garbd",
                "--address",
                "gcomm://" + String.join(",", memberIps),
                "--group",
                group,
                "--name",
                "e2e-backup",
                "--donor",
                donor,
                "--sst",
                sst);
        return new Garbd(node.startDaemon("garbd", log, argv), t);
    }

    public boolean alive() {
        return process.alive();
    }

    public OptionalInt awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    public String log() {
        return process.logTail(200);
    }

    @Override
    public void close() {
        process.close();
    }
}
