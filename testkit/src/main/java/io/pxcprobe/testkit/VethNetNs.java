package io.pxcprobe.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to the host by a veth pair with a /29 and a random ULA /64 of its own,
 * so that the test JVM (in the host namespace) can reach addresses that exist only inside the test;
 * nothing routes further. Faults are iptables rules inside the namespace. Closing ends the
 * processes started in it and deletes, by name, the namespace, its veth, its rules and its host routes.
 */
public final class VethNetNs implements AutoCloseable {
    private final String name;
    private final String hostIf;
    /** The /29's first three octets with their dot, e.g. {@code 10.254.7.}, and its first host number less one. */
    private final String net4;

    private final int base;
    /** The /64's first four groups, e.g. {@code fd7e:1a2b:3c4d}. */
    private final String net6;

    private final List<String[]> hostRoutesToDelete = new ArrayList<>();
    private NetNs ns;

    private VethNetNs(String id, String net4, int base, String net6) {
        this.name = "pxcpt-" + id;
        this.hostIf = "pxh" + id;
        this.net4 = net4;
        this.base = base;
        this.net6 = net6;
    }

    public static VethNetNs create() {
        Proc.require("ip", "iproute2");
        Proc.require("iptables", "iptables");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = Integer.toHexString(random.nextInt(0x100000, 0xffffff));
        String net6 = String.format("fd7e:%04x:%04x", random.nextInt(0x10000), random.nextInt(0x10000));
        // a /29 inside 10.254.0.0/16, picked at random and checked against the host's routes
        for (int attempt = 0; attempt < 20; attempt++) {
            String net4 = "10.254." + random.nextInt(0, 256) + ".";
            int base = random.nextInt(0, 32) * 8;
            if (!Proc.run("ip", "-4", "route", "show", "to", "match", net4 + base)
                    .contains("10.254")) {
                VethNetNs n = new VethNetNs(id, net4, base, net6);
                n.setUp();
                return n;
            }
        }
        throw new IllegalStateException("no free /29 in 10.254.0.0/16");
    }

    private void setUp() {
        try {
            ns = NetNs.create(name);
            Proc.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", name);
            Proc.run("ip", "addr", "add", v4(1) + "/29", "dev", hostIf);
            Proc.run("ip", "-6", "addr", "add", net6 + "::1/64", "dev", hostIf, "nodad");
            Proc.run("ip", "link", "set", hostIf, "up");
            exec("ip", "addr", "add", v4(2) + "/29", "dev", "eth0");
            exec("ip", "-6", "addr", "add", net6 + "::2/64", "dev", "eth0", "nodad");
            exec("ip", "link", "set", "eth0", "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The namespace's IPv4 address that the host reaches over the veth, as text. */
    public String address() {
        return v4(2);
    }

    /** The namespace's IPv4 address that the host reaches over the veth. */
    public InetAddress v4() {
        return literal(v4(2));
    }

    /** The namespace's IPv6 address that the host reaches over the veth. */
    public InetAddress v6() {
        return literal(net6 + "::2");
    }

    /** The host's own IPv4 address on the veth. */
    public InetAddress hostV4() {
        return literal(v4(1));
    }

    /** An IPv4 address of the namespace's subnet that an {@code unreachable} route in the host covers (EHOSTUNREACH). */
    public InetAddress unreachableV4() {
        addHostRoute("-4", "unreachable", v4(6) + "/32");
        return literal(v4(6));
    }

    /** An IPv6 address of the namespace's subnet that an {@code unreachable} route in the host covers. */
    public InetAddress unreachableV6() {
        addHostRoute("-6", "unreachable", net6 + "::200/128");
        return literal(net6 + "::200");
    }

    /**
     * An IPv4 address of the namespace's subnet for which the host has no route at all (ENETUNREACH):
     * a {@code throw} route ends the main table's lookup there, and the tables after it are empty, so
     * nothing is sent, not even by the host's default route.
     */
    public InetAddress noRouteV4() {
        addHostRoute("-4", "throw", v4(5) + "/32");
        return literal(v4(5));
    }

    /** Host number {@code plus} of the /29, as text. */
    private String v4(int plus) {
        return net4 + (base + plus);
    }

    private synchronized void addHostRoute(String family, String type, String prefix) {
        String[] delete = {"ip", family, "route", "del", type, prefix};
        if (hostRoutesToDelete.stream().noneMatch(d -> d[5].equals(prefix))) {
            Proc.run("ip", family, "route", "add", type, prefix);
            hostRoutesToDelete.add(delete);
        }
    }

    public String name() {
        return name;
    }

    /** Runs a command in the namespace to completion and returns its output. */
    public String exec(String... cmd) {
        return ns.exec(cmd);
    }

    /** Starts a long-running command in the namespace, output discarded; it is ended by PID on close. */
    public Process startInNs(String... cmd) {
        return ns.startHelper(cmd);
    }

    /** Drops every TCP SYN to {@code port} inside the namespace: what a NetworkPolicy does. */
    public void dropTcp(int port) {
        exec(TcpPortRule.append("iptables", "INPUT", port, TcpPortRule.Verdict.DROP));
    }

    /** Answers SYNs to {@code port} with a TCP reset. */
    public void rejectTcpWithReset(int port) {
        exec(TcpPortRule.append("iptables", "INPUT", port, TcpPortRule.Verdict.RESET));
    }

    /** Answers SYNs to {@code port} with ICMP host unreachable. */
    public void rejectTcpUnreachable(int port) {
        exec(TcpPortRule.append("iptables", "INPUT", port, TcpPortRule.Verdict.HOST_UNREACHABLE));
    }

    @Override
    public synchronized void close() {
        hostRoutesToDelete.forEach(Proc::tryRun);
        Proc.tryRun("ip", "link", "del", hostIf);
        if (ns != null) {
            ns.close();
        }
    }

    static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
