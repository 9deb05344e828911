package io.pxcprobe.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to the host by a veth pair with a /30 of its own, so that the test
 * JVM (in the host namespace) can reach an address that exists only inside the test. Faults are
 * iptables rules inside the namespace. Closing deletes the namespace, its veth and its rules.
 */
public final class NetNs implements AutoCloseable {
    private final String name;
    private final String hostIf;
    private final String hostAddress;
    private final String nsAddress;

    private NetNs(String name, String hostIf, String hostAddress, String nsAddress) {
        this.name = name;
        this.hostIf = hostIf;
        this.hostAddress = hostAddress;
        this.nsAddress = nsAddress;
    }

    public static NetNs create() {
        Proc.require("ip", "iproute2");
        Proc.require("iptables", "iptables");
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String name = "pxcpt-" + id;
        String hostIf = "pxh" + id;
        // a /30 inside 10.254.0.0/16, picked at random and checked against the host's routes
        for (int attempt = 0; attempt < 20; attempt++) {
            int b = ThreadLocalRandom.current().nextInt(0, 256);
            int c = ThreadLocalRandom.current().nextInt(0, 64) * 4;
            String net = "10.254." + b + "." + c;
            if (!Proc.run("ip", "-4", "route", "show", "to", "match", net).contains("10.254")) {
                String host = "10.254." + b + "." + (c + 1);
                String ns = "10.254." + b + "." + (c + 2);
                NetNs n = new NetNs(name, hostIf, host, ns);
                n.setUp();
                return n;
            }
        }
        throw new IllegalStateException("no free /30 in 10.254.0.0/16");
    }

    private void setUp() {
        try {
            Proc.run("ip", "netns", "add", name);
            Proc.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", name);
            Proc.run("ip", "addr", "add", hostAddress + "/30", "dev", hostIf);
            Proc.run("ip", "link", "set", hostIf, "up");
            exec("ip", "addr", "add", nsAddress + "/30", "dev", "eth0");
            exec("ip", "link", "set", "eth0", "up");
            exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The address inside the namespace that the host reaches over the veth. */
    public String address() {
        return nsAddress;
    }

    public String name() {
        return name;
    }

    public String exec(String... cmd) {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return Proc.run(full);
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
    public void close() {
        Proc.tryRun("ip", "link", "del", hostIf);
        Proc.tryRun("ip", "netns", "del", name);
    }
}
