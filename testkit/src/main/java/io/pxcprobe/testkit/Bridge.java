package io.pxcprobe.testkit;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private /24 on a bridge that lives in a namespace of its own (no address on it). Hosts join
 * with a veth whose inner end is {@code eth0}; the test JVM joins with a veth in its own
 * namespace. Only connected routes exist, so nothing on the bridge can reach beyond it.
 */
public final class Bridge {
    private final NetNs ns;
    private final String subnet;
    private int ports;

    private Bridge(NetNs ns, String subnet) {
        this.ns = ns;
        this.subnet = subnet;
    }

    public static Bridge create(String nsName) {
        String subnet = freeSubnet();
        NetNs ns = NetNs.create(nsName).withoutIpv6();
        ns.exec("ip", "link", "add", "br0", "type", "bridge");
        ns.exec("ip", "link", "set", "br0", "up");
        return new Bridge(ns, subnet);
    }

    /** {@code 10.N.M} with a /24 that no route of this machine uses yet. */
    private static String freeSubnet() {
        Set<String> used = new HashSet<>();
        for (String line : Proc.run("ip", "-4", "route", "show", "table", "all").split("\n")) {
            String[] f = line.strip().split("[ /]");
            if (f.length > 0 && f[0].matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                used.add(f[0].substring(0, f[0].lastIndexOf('.')));
            }
        }
        for (int i = 0; i < 200; i++) {
            String s = "10.23" + ThreadLocalRandom.current().nextInt(10) + "."
                    + ThreadLocalRandom.current().nextInt(1, 255);
            if (!used.contains(s)) {
                return s;
            }
        }
        throw new IllegalStateException("no free 10.23x.y.0/24 subnet");
    }

    public NetNs ns() {
        return ns;
    }

    /** The address {@code host} (1..254) on this subnet. */
    public String ip(int host) {
        return subnet + "." + host;
    }

    /** Plugs {@code host} in as {@code eth0} with address {@code ip(hostNumber)}. */
    public void attach(NetNs host, int hostNumber) {
        String port = "p" + (++ports);
        ns.exec("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host.name());
        plugPort(port);
        host.exec("ip", "addr", "add", ip(hostNumber) + "/24", "dev", "eth0");
        host.exec("ip", "link", "set", "eth0", "up");
    }

    /**
     * Plugs the test JVM's own namespace in through a veth named {@code hostIf}, so the test can
     * reach Prometheus, Alertmanager and the agents, and Alertmanager can reach the test's webhook.
     */
    public void attachJvm(String hostIf, int hostNumber) {
        String port = "p" + (++ports);
        Proc.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", port, "netns", ns.name());
        plugPort(port);
        Proc.run("sysctl", "-q", "-w", "net.ipv6.conf." + hostIf + ".disable_ipv6=1");
        Proc.run("ip", "addr", "add", ip(hostNumber) + "/24", "dev", hostIf);
        Proc.run("ip", "link", "set", hostIf, "up");
    }

    private void plugPort(String port) {
        ns.exec("ip", "link", "set", port, "master", "br0");
        ns.exec("ip", "link", "set", port, "up");
    }
}
