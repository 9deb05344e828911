package io.pxcprobe.testing;

import java.io.IOException;
import java.net.InetAddress;
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
 * A real dnsmasq on 127.0.0.1 for tests, playing the cluster DNS: A records from a hosts file
 * (rewritten and re-read with SIGHUP while it runs, as a stale record gets fixed), SRV records
 * fixed at start, and {@code cluster.local} answered locally only, so a name it does not hold is
 * NXDOMAIN. Ended by PID on close.
 */
public final class Dnsmasq implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path hostsFile;
    private final Path log;

    /** An SRV record as the cluster DNS serves it for a headless service: name -> target host. */
    public record Srv(String name, String target, int port) {
    }

    private Dnsmasq(Process process, int port, Path hostsFile, Path log) {
        this.process = process;
        this.port = port;
        this.hostsFile = hostsFile;
        this.log = log;
    }

    /** @param hosts lines of a hosts file, e.g. {@code "127.0.1.10 c1-pxc-0.c1-pxc.db.svc.cluster.local"} */
    public static Dnsmasq start(Path dir, List<String> hosts, List<Srv> srv) throws IOException, InterruptedException {
        Proc.require("dnsmasq", "dnsmasq-base");
        Files.createDirectories(dir);
        Path hostsFile = dir.resolve("hosts");
        Path log = dir.resolve("dnsmasq.log");
        writeAtomically(hostsFile, hosts);
        for (int attempt = 1; ; attempt++) {
            Dnsmasq d = launch(FreePorts.udpAndTcp(), hostsFile, log, srv);
            try {
                d.awaitAnswering();
                return d;
            } catch (RuntimeException | InterruptedException e) {
                d.close();
                // the free port was taken between our check and dnsmasq's bind: another port
                if (attempt == 3 || !d.logText().contains("in use")) {
                    throw e;
                }
            }
        }
    }

    private static Dnsmasq launch(int port, Path hostsFile, Path log, List<Srv> srv) {
        List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--addn-hosts=" + hostsFile,
                "--local=/cluster.local/", "--pid-file=", "--user=root", "--log-facility=-"));
        srv.forEach(s -> cmd.add("--srv-host=" + s.name() + "," + s.target() + "," + s.port() + ",0,50"));
        return new Dnsmasq(Proc.start(log, cmd), port, hostsFile, log);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Replaces the hosts file and has dnsmasq re-read it (SIGHUP), as an operator fixing a stale record would. */
    public void replaceHosts(List<String> hosts) throws IOException {
        writeAtomically(hostsFile, hosts);
        Proc.run("kill", "-HUP", Long.toString(process.pid()));
    }

    /** dnsmasq answers {@code version.bind} in class CHAOS by itself: proof that it serves, whatever the records. */
    private void awaitAnswering() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dnsmasq exited: " + logText());
            }
            try {
                SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                r.setTimeout(Duration.ofMillis(300));
                Message reply = r.send(Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH)));
                if (reply.getRcode() == Rcode.NOERROR) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("dnsmasq did not answer in 15 s: " + logText());
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** dnsmasq must never read a half-written file. */
    private static void writeAtomically(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, lines);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        Proc.stop(process);
    }
}
