package io.pxcprobe.e2e.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * dnsmasq answering the names the operator's services produce: per pod
 * {@code <pod>.<cr>-pxc.<ns>.svc.cluster.local}, the headless service {@code <cr>-pxc} (A and
 * SRV of the Ready pods) and {@code <cr>-pxc-unready} (every pod). Pod records can be made stale
 * or removed; dnsmasq re-reads its hosts file on SIGHUP.
 */
public final class DnsServer implements AutoCloseable {
    public static final String DOMAIN = "cluster.local";

    private final Netns ns;
    private final String ip;
    private final Path hostsFile;
    private final Map<String, String> podRecords = new LinkedHashMap<>();
    private final List<String> serviceRecords = new ArrayList<>();
    private Daemon dnsmasq;

    private DnsServer(Netns ns, String ip, Path hostsFile) {
        this.ns = ns;
        this.ip = ip;
        this.hostsFile = hostsFile;
    }

    /** @param pods pod name to IP, all Ready */
    static DnsServer start(Netns ns, String ip, Path dir, Path log, String namespace, String cluster, Map<String, String> pods) {
        try {
            Files.createDirectories(dir);
            Path hosts = dir.resolve("hosts");
            List<String> argv = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-",
                    "--no-resolv", "--no-hosts", "--addn-hosts=" + hosts, "--local=/" + DOMAIN + "/",
                    "--listen-address=" + ip, "--bind-interfaces", "--pid-file=", "--cache-size=0",
                    "--local-ttl=0", "--user=root"));
            String service = cluster + "-pxc." + namespace + ".svc." + DOMAIN;
            pods.keySet().forEach(pod -> argv.add("--srv-host=" + service + "," + pod + "." + service + ",3306,0,33"));
            DnsServer s = new DnsServer(ns, ip, hosts);
            pods.forEach((pod, podIp) -> {
                s.podRecords.put(pod + "." + service, podIp);
                s.serviceRecords.add(podIp + " " + service);
                s.serviceRecords.add(podIp + " " + cluster + "-pxc-unready." + namespace + ".svc." + DOMAIN);
            });
            s.writeHosts();
            s.dnsmasq = Daemon.start("dnsmasq", ns, log, argv, Map.of());
            String first = s.podRecords.keySet().iterator().next();
            s.awaitAnswer(first, Optional.of(s.podRecords.get(first)));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String ip() {
        return ip;
    }

    /** Points a pod's A record at another address (stale DNS); returns the FQDN. */
    public String pointPodAt(String podFqdn, String newIp) {
        podRecords.put(podFqdn, newIp);
        reload(podFqdn, Optional.of(newIp));
        return podFqdn;
    }

    /** Removes a pod's A record (the name answers NXDOMAIN). */
    public void removePod(String podFqdn) {
        podRecords.put(podFqdn, null);
        reload(podFqdn, Optional.empty());
    }

    private void reload(String name, Optional<String> expected) {
        writeHosts();
        Cmd.run("kill", "-HUP", Long.toString(dnsmasq.pid()));
        awaitAnswer(name, expected);
    }

    private void writeHosts() {
        List<String> lines = new ArrayList<>();
        podRecords.forEach((name, addr) -> {
            if (addr != null) {
                lines.add(addr + " " + name);
            }
        });
        lines.addAll(serviceRecords);
        try {
            Files.writeString(hostsFile, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the server itself until {@code name} answers {@code expected} (empty: no address). */
    private void awaitAnswer(String name, Optional<String> expected) {
        Wait.until(name + " -> " + expected.orElse("NXDOMAIN") + " from dnsmasq", Duration.ofSeconds(15),
                () -> answer(name).equals(expected));
    }

    /** The first A record dnsmasq gives for {@code name}, asked from the test JVM. */
    public Optional<String> answer(String name) {
        try {
            SimpleResolver r = new SimpleResolver(ip);
            r.setTimeout(Duration.ofSeconds(1));
            Lookup l = new Lookup(Name.fromString(name + "."), Type.A);
            l.setResolver(r);
            l.setCache(null);
            var records = l.run();
            return records == null || records.length == 0 ? Optional.empty()
                    : Optional.of(((ARecord) records[0]).getAddress().getHostAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Netns ns() {
        return ns;
    }

    @Override
    public void close() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }
}
