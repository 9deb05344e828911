package io.pxcprobe.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to the host by a veth pair with a /29 and a random ULA /64 of its own,
 * so that the test JVM (in the host namespace) can reach addresses that exist only inside the test;
 * nothing routes further. Faults are iptables rules inside the namespace. Closing ends the
 * processes started in it and deletes the namespace, its veth, its rules and its host routes.
 */
public final class NetNs implements AutoCloseable {
    private final String name;
    private final String hostIf;
    private final InetAddress hostV4;
    private final InetAddress v4;
    private final InetAddress unreachableV4;
    private final InetAddress noRouteV4;
    private final InetAddress hostV6;
    private final InetAddress v6;
    private final InetAddress unreachableV6;
    private final List<Process> processes = new ArrayList<>();
    private final List<String[]> hostRoutesToDelete = new ArrayList<>();

    private NetNs(String id, String net4, int base, String net6) {
        this.name = "pxcpt-" + id;
        this.hostIf = "pxh" + id;
        this.hostV4 = literal(net4 + (base + 1));
        this.v4 = literal(net4 + (base + 2));
        this.unreachableV4 = literal(net4 + (base + 6));
        this.noRouteV4 = literal(net4 + (base + 5));
        this.hostV6 = literal(net6 + "::1");
        this.v6 = literal(net6 + "::2");
        this.unreachableV6 = literal(net6 + "::200");
    }

    public static NetNs create() {
        Proc.require("ip", "iproute2");
        Proc.require("iptables", "iptables");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = Integer.toHexString(random.nextInt(0x100000, 0xffffff));
        String net6 = String.format("fd7e:%04x:%04x", random.nextInt(0x10000), random.nextInt(0x10000));
        // a /29 inside 10.254.0.0/16, picked at random and checked against the host's routes
        for (int attempt = 0; attempt < 20; attempt++) {
            String net4 = "10.254." + random.nextInt(0, 256) + ".";
            int base = random.nextInt(0, 32) * 8;
            if (!Proc.run("ip", "-4", "route", "show", "to", "match", net4 + base).contains("10.254")) {
                NetNs n = new NetNs(id, net4, base, net6);
                n.setUp();
                return n;
            }
        }
        throw new IllegalStateException("no free /29 in 10.254.0.0/16");
    }

    private void setUp() {
        try {
            Proc.run("ip", "netns", "add", name);
            Proc.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", name);
            Proc.run("ip", "addr", "add", hostV4.getHostAddress() + "/29", "dev", hostIf);
            Proc.run("ip", "-6", "addr", "add", hostV6.getHostAddress() + "/64", "dev", hostIf, "nodad");
            Proc.run("ip", "link", "set", hostIf, "up");
            exec("ip", "addr", "add", v4.getHostAddress() + "/29", "dev", "eth0");
            exec("ip", "-6", "addr", "add", v6.getHostAddress() + "/64", "dev", "eth0", "nodad");
            exec("ip", "link", "set", "eth0", "up");
            exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The namespace's IPv4 address that the host reaches over the veth, as text. */
    public String address() {
        return v4.getHostAddress();
    }

    /** The namespace's IPv4 address that the host reaches over the veth. */
    public InetAddress v4() {
        return v4;
    }

    /** The namespace's IPv6 address that the host reaches over the veth. */
    public InetAddress v6() {
        return v6;
    }

    /** The host's own IPv4 address on the veth. */
    public InetAddress hostV4() {
        return hostV4;
    }

    /** An IPv4 address of the namespace's subnet that an {@code unreachable} route in the host covers (EHOSTUNREACH). */
    public InetAddress unreachableV4() {
        addHostRoute("-4", "unreachable", unreachableV4.getHostAddress() + "/32");
        return unreachableV4;
    }

    /** An IPv6 address of the namespace's subnet that an {@code unreachable} route in the host covers. */
    public InetAddress unreachableV6() {
        addHostRoute("-6", "unreachable", unreachableV6.getHostAddress() + "/128");
        return unreachableV6;
    }

    /**
     * An IPv4 address of the namespace's subnet for which the host has no route at all (ENETUNREACH):
     * a {@code throw} route ends the main table's lookup there, and the tables after it are empty, so
     * nothing is sent, not even by the host's default route.
     */
    public InetAddress noRouteV4() {
        addHostRoute("-4", "throw", noRouteV4.getHostAddress() + "/32");
        return noRouteV4;
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
        return Proc.run(inNamespace(cmd).toArray(String[]::new));
    }

    /** Starts a long-running command in the namespace, output discarded; it is ended by PID on close. */
    public synchronized Process startInNs(String... cmd) {
        try {
            Process process = new ProcessBuilder(inNamespace(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd[0] + " in " + name + ": " + e.getMessage(), e);
        }
    }

    private List<String> inNamespace(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return full;
    }

    /** Drops every TCP SYN to {@code port} inside the namespace: what a NetworkPolicy does. */
    public void dropTcp(int port) {
        exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", Integer.toString(port), "-j", "DROP");
    }

    /** Answers SYNs to {@code port} with a TCP reset. */
    public void rejectTcpWithReset(int port) {
        exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", Integer.toString(port), "-j", "REJECT",
                "--reject-with", "tcp-reset");
    }

    /** Answers SYNs to {@code port} with ICMP host unreachable. */
    public void rejectTcpUnreachable(int port) {
        exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", Integer.toString(port), "-j", "REJECT",
                "--reject-with", "icmp-host-unreachable");
    }

    @Override
    public synchronized void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hostRoutesToDelete.forEach(Proc::tryRun);
        Proc.tryRun("ip", "link", "del", hostIf);
        Proc.tryRun("ip", "netns", "del", name);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
