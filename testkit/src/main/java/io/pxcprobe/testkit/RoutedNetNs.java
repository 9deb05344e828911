package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A target one router away: host -- veth -- router namespace -- veth -- target namespace, IPv4
 * and IPv6 (random /29s in 10.254.0.0/16 and random ULA /64s), with host routes to the target's
 * two addresses only. The router forwards; faults on the path are its FORWARD rules. Closing ends
 * the processes started in the target and deletes both namespaces, their veths and the host routes.
 */
public final class RoutedNetNs implements AutoCloseable {
    private final String routerName;
    private final String targetName;
    private final String hostIf;
    private final String net4a;
    private final String net4b;
    private final String net6a;
    private final String net6b;
    private final List<String[]> cleanup = new ArrayList<>();
    private NetNs router;
    private NetNs target;

    private RoutedNetNs(String id, String net4a, String net4b, String net6a, String net6b) {
        this.routerName = "pxcpr-" + id;
        this.targetName = "pxcpt-" + id;
        this.hostIf = "pxr" + id;
        this.net4a = net4a;
        this.net4b = net4b;
        this.net6a = net6a;
        this.net6b = net6b;
    }

    public static RoutedNetNs create() {
        Proc.require("ip", "iproute2");
        Proc.require("iptables", "iptables");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = Integer.toHexString(random.nextInt(0x100000, 0xffffff));
        for (int attempt = 0; attempt < 20; attempt++) {
            String third = "10.254." + random.nextInt(0, 256) + ".";
            int base = random.nextInt(0, 31) * 8;
            String a = third + base;
            String b = third + (base + 8);
            if (!Proc.run("ip", "-4", "route", "show", "to", "match", a).contains("10.254")
                    && !Proc.run("ip", "-4", "route", "show", "to", "match", b).contains("10.254")) {
                String six = String.format("fd7f:%04x:%04x:", random.nextInt(0x10000), random.nextInt(0x10000));
                RoutedNetNs n = new RoutedNetNs(id, a, b, six + "1", six + "2");
                n.setUp();
                return n;
            }
        }
        throw new IllegalStateException("no free /29 pair in 10.254.0.0/16");
    }

    private void setUp() {
        try {
            router = NetNs.create(routerName);
            target = NetNs.create(targetName);
            // no duplicate address detection: a tentative link-local address stalls neighbour discovery
            for (NetNs ns : new NetNs[] {router, target}) {
                ns.exec("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            }
            Proc.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", routerName);
            cleanup.add(0, new String[] {"ip", "link", "del", hostIf});
            Proc.run("ip", "addr", "add", v4(net4a, 1) + "/29", "dev", hostIf);
            Proc.run("ip", "-6", "addr", "add", net6a + "::1/64", "dev", hostIf, "nodad");
            Proc.run("ip", "link", "set", hostIf, "up");
            inRouter("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", targetName);
            inRouter("ip", "addr", "add", v4(net4a, 2) + "/29", "dev", "eth0");
            inRouter("ip", "-6", "addr", "add", net6a + "::2/64", "dev", "eth0", "nodad");
            inRouter("ip", "addr", "add", v4(net4b, 1) + "/29", "dev", "eth1");
            inRouter("ip", "-6", "addr", "add", net6b + "::1/64", "dev", "eth1", "nodad");
            for (String dev : new String[] {"eth0", "eth1"}) {
                inRouter("ip", "link", "set", dev, "up");
            }
            inRouter("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
            inTarget("ip", "addr", "add", v4(net4b, 2) + "/29", "dev", "eth0");
            inTarget("ip", "-6", "addr", "add", net6b + "::2/64", "dev", "eth0", "nodad");
            inTarget("ip", "link", "set", "eth0", "up");
            inTarget("ip", "route", "add", "default", "via", v4(net4b, 1));
            inTarget("ip", "-6", "route", "add", "default", "via", net6b + "::1");
            Proc.run("ip", "route", "add", v4(net4b, 2) + "/32", "via", v4(net4a, 2));
            cleanup.add(0, new String[] {"ip", "route", "del", v4(net4b, 2) + "/32"});
            Proc.run("ip", "-6", "route", "add", net6b + "::2/128", "via", net6a + "::2");
            cleanup.add(0, new String[] {"ip", "-6", "route", "del", net6b + "::2/128"});
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Waits (at most 10 s) until a TCP connect from the host reaches {@code port} of the target on both families. */
    public void awaitListening(int port) throws InterruptedException {
        for (InetAddress a : new InetAddress[] {targetV4(), targetV6()}) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, port), 500);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                a.getHostAddress() + ":" + port + " not reachable through the router: " + e);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** The target's IPv4 address, behind the router. */
    public InetAddress targetV4() {
        return VethNetNs.literal(v4(net4b, 2));
    }

    /** The target's IPv6 address, behind the router. */
    public InetAddress targetV6() {
        return VethNetNs.literal(net6b + "::2");
    }

    public String inRouter(String... cmd) {
        return router.exec(cmd);
    }

    public String inTarget(String... cmd) {
        return target.exec(cmd);
    }

    /** The router answers SYNs it would forward to {@code port} with a TCP reset: a policy's reject. */
    public void rejectOnPathWithReset(int port) {
        for (String iptables : new String[] {"iptables", "ip6tables"}) {
            inRouter(TcpPortRule.append(iptables, "FORWARD", port, TcpPortRule.Verdict.RESET));
        }
    }

    /** Starts a long-running command in the target, output discarded; it is ended by PID on close. */
    public Process startInTarget(String... cmd) {
        return target.startHelper(cmd);
    }

    @Override
    public synchronized void close() {
        cleanup.forEach(Proc::tryRun);
        cleanup.clear();
        for (NetNs ns : new NetNs[] {target, router}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    private static String v4(String base, int plus) {
        int dot = base.lastIndexOf('.');
        return base.substring(0, dot + 1) + (Integer.parseInt(base.substring(dot + 1)) + plus);
    }
}
