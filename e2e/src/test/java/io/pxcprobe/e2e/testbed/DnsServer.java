package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Dnsmasq;
import io.pxcprobe.testkit.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final NetNs ns;
    private final Map<String, String> podRecords = new LinkedHashMap<>();
    private final List<String> serviceRecords = new ArrayList<>();
    /** The SRV records of {@code <cr>-pxc}, by pod; null while left out. */
    private final Map<String, Dnsmasq.Srv> srvRecords = new LinkedHashMap<>();

    private String ip;
    private Path dir;
    private Path log;
    private Dnsmasq dnsmasq;

    private DnsServer(NetNs ns) {
        this.ns = ns;
    }

    /** @param pods pod name to IP, all Ready */
    static DnsServer start(
            NetNs ns, String ip, Path dir, Path log, String namespace, String cluster, Map<String, String> pods) {
        String service = cluster + "-pxc." + namespace + ".svc." + DOMAIN;
        List<Dnsmasq.Srv> srv = new ArrayList<>();
        DnsServer s = new DnsServer(ns);
        s.ip = ip;
        s.dir = dir;
        s.log = log;
        pods.forEach((pod, podIp) -> {
            srv.add(new Dnsmasq.Srv(service, pod + "." + service, 3306, 33));
            s.srvRecords.put(pod, srv.getLast());
            s.podRecords.put(pod + "." + service, podIp);
            s.serviceRecords.add(podIp + " " + service);
            s.serviceRecords.add(podIp + " " + cluster + "-pxc-unready." + namespace + ".svc." + DOMAIN);
        });
        try {
            s.dnsmasq = Dnsmasq.startIn(ns, ip, dir, log, s.hosts(), srv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String first = s.podRecords.keySet().iterator().next();
        s.awaitAnswer(first, Optional.of(s.podRecords.get(first)));
        return s;
    }

    public String ip() {
        return dnsmasq.ip();
    }

    /**
     * Leaves the pod out of (null: puts every pod back into) the SRV records of {@code <cr>-pxc}, as an
     * endpoints controller that has not caught up would. dnsmasq reads SRV records only at start, so
     * it is restarted on the same address.
     */
    public void srvWithout(String pod) {
        List<Dnsmasq.Srv> srv = new ArrayList<>();
        srvRecords.forEach((p, record) -> {
            if (!p.equals(pod)) {
                srv.add(record);
            }
        });
        dnsmasq.close();
        try {
            dnsmasq = Dnsmasq.startIn(ns, ip, dir, log, hosts(), srv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds A records of {@code name} (relative to nothing: a full name) for each address, as a headless Service has. */
    public void addRecords(String name, List<String> addresses) {
        addresses.forEach(a -> serviceRecords.add(a + " " + name));
        try {
            dnsmasq.replaceHosts(hosts());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaits.poll(
                name + " listed by dnsmasq",
                Duration.ofSeconds(15),
                () -> answer(name).filter(addresses::contains).isPresent());
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
        try {
            dnsmasq.replaceHosts(hosts());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitAnswer(name, expected);
    }

    private List<String> hosts() {
        List<String> lines = new ArrayList<>();
        podRecords.forEach((name, addr) -> {
            if (addr != null) {
                lines.add(addr + " " + name);
            }
        });
        lines.addAll(serviceRecords);
        return lines;
    }

    /** Polls the server itself until {@code name} answers {@code expected} (empty: no address). */
    private void awaitAnswer(String name, Optional<String> expected) {
        Awaits.poll(
                name + " -> " + expected.orElse("NXDOMAIN") + " from dnsmasq",
                Duration.ofSeconds(15),
                () -> answer(name).equals(expected));
    }

    /** The first A record dnsmasq gives for {@code name}, asked from the test JVM. */
    public Optional<String> answer(String name) {
        try {
            SimpleResolver r = new SimpleResolver(ip());
            r.setTimeout(Duration.ofSeconds(1));
            Lookup l = new Lookup(Name.fromString(name + "."), Type.A);
            l.setResolver(r);
            l.setCache(null);
            var records = l.run();
            return records == null || records.length == 0
                    ? Optional.empty()
                    : Optional.of(((ARecord) records[0]).getAddress().getHostAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NetNs ns() {
        return ns;
    }

    @Override
    public void close() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }
}
