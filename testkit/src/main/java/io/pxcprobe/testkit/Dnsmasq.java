package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real dnsmasq playing the cluster DNS: A records from a hosts file (rewritten and re-read with
 * SIGHUP while it runs, as a stale record gets fixed), SRV records fixed at start, and
 * {@code cluster.local} answered locally only, so a name it does not hold is NXDOMAIN; nothing
 * cached, so a change shows at once. On loopback at a free port, or on port 53 of an address in a
 * network namespace. Ended by PID on close.
 */
public final class Dnsmasq implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final Daemon daemon;
    private final InetSocketAddress listen;
    private final Path hostsFile;

    /** An SRV record as the cluster DNS serves it for a headless service: name -> target host. */
    public record Srv(String name, String target, int port, int weight) {
        public Srv(String name, String target, int port) {
            this(name, target, port, 50);
        }
    }

    private Dnsmasq(Daemon daemon, InetSocketAddress listen, Path hostsFile) {
        this.daemon = daemon;
        this.listen = listen;
        this.hostsFile = hostsFile;
    }

    /**
     * On 127.0.0.1 at a free port, files and log in {@code dir}.
     *
     * @param hosts lines of a hosts file, e.g. {@code "127.0.1.10 c1-pxc-0.c1-pxc.db.svc.cluster.local"}
     */
    public static Dnsmasq start(Path dir, List<String> hosts, List<Srv> srv) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("dnsmasq.log");
        for (int attempt = 1; ; attempt++) {
            Dnsmasq d = launch(List.of(), new InetSocketAddress(LOOPBACK, FreePorts.udpAndTcp()), dir, log, hosts, srv);
            try {
                d.awaitAnswering();
                return d;
            } catch (RuntimeException e) {
                d.close();
                // the free port was taken between our check and dnsmasq's bind: another port
                if (attempt == 3 || !d.daemon.logTail(20).contains("in use")) {
                    throw e;
                }
            }
        }
    }

    /** On port 53 of {@code ip} inside {@code ns}, files in {@code dir}, output to {@code log}. */
    public static Dnsmasq startIn(NetNs ns, String ip, Path dir, Path log, List<String> hosts, List<Srv> srv)
            throws IOException {
        Files.createDirectories(dir);
        Dnsmasq d = launch(List.of(ns.prefixed()), new InetSocketAddress(ip, 53), dir, log, hosts, srv);
        try {
            d.awaitAnswering();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private static Dnsmasq launch(
            List<String> prefix, InetSocketAddress listen, Path dir, Path log, List<String> hosts, List<Srv> srv)
            throws IOException {
        Proc.require("dnsmasq", "dnsmasq-base");
        Path hostsFile = dir.resolve("hosts");
        writeAtomically(hostsFile, hosts);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                "dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--port=" + listen.getPort(),
                "--listen-address=" + listen.getHostString(),
                "--bind-interfaces",
                "--addn-hosts=" + hostsFile,
                "--local=/cluster.local/",
                "--pid-file=",
                "--cache-size=0",
                "--local-ttl=0",
                "--log-facility=-"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--user=root"); // the test's directories are private to this user
        }
        srv.forEach(s -> cmd.add("--srv-host=" + s.name() + "," + s.target() + "," + s.port() + ",0," + s.weight()));
        return new Dnsmasq(Daemon.start("dnsmasq", log, cmd), listen, hostsFile);
    }

    /** {@code ip:port}, as a resolver is configured. */
    public String address() {
        return listen.getHostString() + ":" + listen.getPort();
    }

    public String ip() {
        return listen.getHostString();
    }

    public boolean alive() {
        return daemon.alive();
    }

    /** Replaces the hosts file and has dnsmasq re-read it (SIGHUP), as an operator fixing a stale record would. */
    public void replaceHosts(List<String> hosts) throws IOException {
        writeAtomically(hostsFile, hosts);
        Proc.run("kill", "-HUP", Long.toString(daemon.pid()));
    }

    /** dnsmasq answers {@code version.bind} in class CHAOS by itself: proof that it serves, whatever the records. */
    private void awaitAnswering() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.alive()) {
                throw new IllegalStateException("dnsmasq exited: " + daemon.logTail(20));
            }
            try {
                SimpleResolver r = new SimpleResolver(listen);
                r.setTimeout(Duration.ofMillis(300));
                Message reply = r.send(
                        Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH)));
                if (reply.getRcode() == Rcode.NOERROR) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Awaits.pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("dnsmasq did not answer in 15 s: " + daemon.logTail(20));
    }

    /** dnsmasq must never read a half-written file. */
    private static void writeAtomically(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, lines);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
