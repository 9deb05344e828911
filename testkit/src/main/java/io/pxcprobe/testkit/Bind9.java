package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real authoritative DNS server (BIND 9) on loopback for tests: a zone {@code cluster.local}
 * with the records given, a zone {@code broken.test} that never loads (so it answers SERVFAIL),
 * and no recursion (so other names are REFUSED).
 */
public final class Bind9 implements AutoCloseable {
    private final Daemon named;
    private final int port;

    private Bind9(Daemon named, int port) {
        this.named = named;
        this.port = port;
    }

    /** @param records zone-file lines relative to cluster.local, e.g. {@code "pod-0 IN A 10.0.0.1"} */
    public static Bind9 start(Path dir, List<String> records) throws IOException, InterruptedException {
        Proc.require("named", "bind9");
        int port = FreePorts.udpAndTcp();
        Files.createDirectories(dir);
        StringBuilder zone = new StringBuilder("""
                $TTL 1
                @ IN SOA ns.cluster.local. admin.cluster.local. 1 60 60 600 1
                @ IN NS ns.cluster.local.
                ns IN A 127.0.0.1
                """);
        records.forEach(r -> zone.append(r).append('\n'));
        Files.writeString(dir.resolve("cluster.local.db"), zone);
        Files.writeString(dir.resolve("named.conf"), """
                options {
                  directory "%1$s";
                  listen-on port %2$d { 127.0.0.1; };
                  listen-on-v6 { none; };
                  recursion no;
                  dnssec-validation no;
                  pid-file "%1$s/named.pid";
                  session-keyfile "%1$s/session.key";
                };
                zone "cluster.local" { type primary; file "%1$s/cluster.local.db"; };
                zone "broken.test" { type secondary; primaries { 127.0.0.1 port 9; }; file "%1$s/broken.db"; };
                """.formatted(dir, port));
        Daemon named = Daemon.start(
                "named",
                dir.resolve("named.log"),
                List.of(
                        "named",
                        "-f",
                        "-4",
                        "-u",
                        "root",
                        "-c",
                        dir.resolve("named.conf").toString()));
        Bind9 b = new Bind9(named, port);
        try {
            b.awaitListening();
        } catch (RuntimeException | InterruptedException e) {
            b.close();
            throw e;
        }
        return b;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!named.alive()) {
                throw new IllegalStateException("named exited: " + named.logTail(40));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                if (Proc.tryRun(
                                "dig",
                                "+short",
                                "+tries=1",
                                "+time=1",
                                "-p",
                                Integer.toString(port),
                                "@127.0.0.1",
                                "ns.cluster.local",
                                "A")
                        .output()
                        .contains("127.0.0.1")) {
                    return;
                }
            } catch (IOException notYet) {
                // named still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("named did not answer in 15 s: " + named.logTail(40));
    }

    @Override
    public void close() {
        named.close();
    }
}
