package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The receiving end of a backup's state transfer: an rsync daemon on 4444 with the modules MariaDB's
 * {@code wsrep_sst_rsync} donor pushes to, standing in for the operator's {@code socat
 * TCP-LISTEN:4444}. The donor writes {@code rsync_sst_complete} last: its arrival is the proof that
 * the whole stream got through.
 */
public final class BackupPod implements AutoCloseable {
    private static final List<String> MODULES =
            List.of("rsync_sst", "rsync_sst-log_dir", "rsync_sst-data_dir", "rsync_sst-undo_dir", "rsync_sst-aria_log");

    private final NetNs ns;
    private final String ip;
    private final Path dir;
    private final Daemon rsyncd;

    private BackupPod(NetNs ns, String ip, Path dir, Daemon rsyncd) {
        this.ns = ns;
        this.ip = ip;
        this.dir = dir;
        this.rsyncd = rsyncd;
    }

    static BackupPod start(NetNs ns, String ip, Path dir, Path log) {
        StringBuilder conf =
                new StringBuilder("use chroot = no\nread only = no\nuid = root\ngid = root\ntimeout = 300\n");
        try {
            for (String m : MODULES) {
                Path p = Files.createDirectories(dir.resolve(m));
                conf.append('[').append(m).append("]\n    path = ").append(p).append('\n');
            }
            Files.writeString(dir.resolve("rsyncd.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Daemon d = ns.startDaemon(
                "rsyncd",
                log,
                List.of(
                        "rsync",
                        "--daemon",
                        "--no-detach",
                        "--address",
                        ip,
                        "--port",
                        "4444",
                        "--config",
                        dir.resolve("rsyncd.conf").toString()));
        return new BackupPod(ns, ip, dir, d);
    }

    public NetNs ns() {
        return ns;
    }

    public String ip() {
        return ip;
    }

    /** Whether the donor's last file arrived: the transfer completed. */
    public boolean transferComplete() {
        return Files.exists(dir.resolve("rsync_sst").resolve("rsync_sst_complete"));
    }

    /** Empties what a transfer left, for the next one. */
    public void clear() {
        try {
            for (String m : MODULES) {
                Path p = dir.resolve(m);
                try (var files = Files.walk(p)) {
                    files.sorted(Comparator.reverseOrder())
                            .filter(f -> !f.equals(p))
                            .forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        rsyncd.close();
    }
}
