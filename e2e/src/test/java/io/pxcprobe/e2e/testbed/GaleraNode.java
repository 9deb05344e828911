package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One PXC "pod": MariaDB with galera-4 in its own namespace, datadir under the run directory. */
public final class GaleraNode {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);

    private final NetNs ns;
    private final String pod;
    private final String ip;
    private final Path dir;
    private final Path log;
    private Daemon mysqld;

    GaleraNode(NetNs ns, String pod, String ip, Path dir, Path log) {
        this.ns = ns;
        this.pod = pod;
        this.ip = ip;
        this.dir = dir;
        this.log = log;
    }

    public String pod() {
        return pod;
    }

    public String ip() {
        return ip;
    }

    public NetNs ns() {
        return ns;
    }

    /** Where this host's certificate goes in TLS mode: inside its directory, so that mysqld may read it. */
    Path tlsDir() {
        return dir.resolve("tls");
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    /**
     * Writes the configuration; installs the system tables only on the node that bootstraps (the
     * others get them by SST). With {@code tls}, gcomm listens on {@code ssl://} and the provider
     * uses those files (IST follows socket.ssl).
     */
    void prepare(String clusterName, List<String> memberIps, boolean bootstrap, Optional<Tls.HostFiles> tls) {
        String listen = tls.isPresent() ? "ssl" : "tcp";
        String tlsOptions = tls.map(t -> ";" + t.providerOptions()).orElse("");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(
                    dir.resolve("my.cnf"),
                    String.join(
                            "\n",
                            "[mysqld]",
                            "user=mysql",
                            "datadir=" + dir.resolve("data"),
                            "socket=" + socket(),
                            "pid-file=" + dir.resolve("mysqld.pid"),
                            "log_error=" + errorLog(),
                            "bind-address=" + ip,
                            "port=3306",
                            // the operator's admin port, which the backup asks whether a donor is Synced
                            "extra_port=33062",
                            "innodb_buffer_pool_size=32M",
                            "innodb_log_file_size=16M",
                            "binlog_format=ROW",
                            "innodb_autoinc_lock_mode=2",
                            "wsrep_on=ON",
                            "wsrep_provider=/usr/lib/galera/libgalera_smm.so",
                            "wsrep_cluster_name=" + clusterName,
                            "wsrep_cluster_address=gcomm://" + String.join(",", memberIps),
                            "wsrep_node_address=" + ip,
                            "wsrep_node_name=" + pod,
                            "wsrep_sst_method=rsync",
                            "wsrep_sst_receive_address=" + ip + ":4444",
                            "wsrep_provider_options=\"gmcast.listen_addr=" + listen + "://0.0.0.0:4567;ist.recv_addr="
                                    + ip + ":4568;gcache.size=64M" + tlsOptions + "\"",
                            ""));
            Proc.run("chown", "-R", "mysql:mysql", dir.toString());
            if (bootstrap) {
                Proc.run(
                        "mariadb-install-db",
                        "--no-defaults",
                        "--user=mysql",
                        "--datadir=" + dir.resolve("data"),
                        "--skip-test-db",
                        "--auth-root-authentication-method=socket");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts mysqld and waits until this node is Synced in a Primary component. */
    public void start(boolean newCluster) {
        if (mysqld != null && mysqld.alive()) {
            throw new IllegalStateException(pod + " is already running");
        }
        List<String> argv = new ArrayList<>(List.of("mariadbd", "--defaults-file=" + dir.resolve("my.cnf")));
        if (newCluster) {
            argv.add("--wsrep-new-cluster");
        }
        mysqld = ns.startDaemon(pod, log, argv);
        Awaits.poll(pod + " Synced and Primary", SYNC_TIMEOUT, () -> {
            if (!mysqld.alive()) {
                throw new AssertionError(pod + " exited:\n" + Daemon.tail(errorLog(), 30));
            }
            return synced();
        });
    }

    /** Stops mysqld cleanly (SIGTERM) and waits for it to exit. */
    public void stop() {
        if (mysqld != null) {
            mysqld.close();
            mysqld = null;
        }
    }

    public boolean running() {
        return mysqld != null && mysqld.alive();
    }

    public boolean synced() {
        try {
            Map<String, String> s = status("wsrep_%");
            return "Synced".equals(s.get("wsrep_local_state_comment"))
                    && "Primary".equals(s.get("wsrep_cluster_status"));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** {@code SHOW GLOBAL STATUS LIKE pattern} over the unix socket, as root. */
    public Map<String, String> status(String pattern) {
        Map<String, String> m = new HashMap<>();
        for (String line : sql("SHOW GLOBAL STATUS LIKE '" + pattern + "'").split("\n")) {
            String[] kv = line.split("\t", 2);
            if (kv.length == 2) {
                m.put(kv[0].toLowerCase(Locale.ROOT), kv[1]);
            }
        }
        return m;
    }

    public String sql(String statement) {
        Proc.Result r = Proc.tryRun(
                Duration.ofSeconds(10),
                "mariadb",
                "--no-defaults",
                "-S",
                socket().toString(),
                "-uroot",
                "-N",
                "-B",
                "-e",
                statement);
        if (!r.ok()) {
            throw new IllegalStateException(pod + ": " + r.output().strip());
        }
        return r.output();
    }

    /**
     * The error log's lines so far; the "do no harm" checks compare counts. A missing log fails:
     * read as no lines, it would prove any "adds nothing" claim.
     */
    public List<String> errorLogLines() {
        if (!Files.isRegularFile(errorLog())) {
            throw new IllegalStateException(pod + ": no error log at " + errorLog());
        }
        try {
            return Files.readAllLines(errorLog(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Daemon> process() {
        return Optional.ofNullable(mysqld);
    }

    private Path socket() {
        return dir.resolve("mysqld.sock");
    }
}
