package io.pxcprobe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One network namespace, known by its name: commands run inside it, helpers started in it, and
 * cleanup by name, so that a run that died can still be cleaned up by a later one. Closing ends
 * every process still inside and deletes the namespace and its /etc/netns entry.
 */
public final class NetNs implements AutoCloseable {
    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final String name;
    private final List<Process> helpers = new ArrayList<>();

    private NetNs(String name) {
        this.name = name;
    }

    /** A new namespace with lo up. */
    public static NetNs create(String name) {
        Proc.require("ip", "iproute2");
        Proc.run("ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Turns IPv6 off inside, for hosts that speak IPv4 only. */
    public NetNs withoutIpv6() {
        exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        return this;
    }

    public String name() {
        return name;
    }

    /** Runs {@code argv} inside to completion; fails on a non-zero exit. */
    public String exec(String... argv) {
        return Proc.run(prefixed(argv));
    }

    public Proc.Result tryExec(Duration timeout, String... argv) {
        return Proc.tryRun(timeout, prefixed(argv));
    }

    /** The argv that runs a command inside this namespace. */
    public String[] prefixed(String... argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(argv));
        return all.toArray(String[]::new);
    }

    /** Starts a {@link Daemon} inside. */
    public Daemon startDaemon(String daemon, Path log, List<String> argv) {
        return Daemon.start(daemon, log, List.of(prefixed(argv.toArray(String[]::new))));
    }

    /** Starts a helper inside (a listener, a sleeper), output discarded; it is killed by its PID on close. */
    public synchronized Process startHelper(String... argv) {
        try {
            Process p = new ProcessBuilder(prefixed(argv))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            helpers.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + argv[0] + " in " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives processes started with {@code ip netns exec} this resolv.conf: ip(8) bind-mounts
     * /etc/netns/NAME/* over /etc in the mount namespace it creates for each command.
     */
    public void resolvConf(String nameserver) {
        try {
            Path dir = Files.createDirectories(ETC_NETNS.resolve(name));
            Files.writeString(
                    dir.resolve("resolv.conf"), "nameserver " + nameserver + "\noptions timeout:1 attempts:1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        helpers.forEach(p -> Daemon.end(p.toHandle(), Duration.ZERO));
        helpers.clear();
        destroy(name);
    }

    /** Ends every process still inside, deletes the namespace and its /etc/netns entry; safe to repeat. */
    public static void destroy(String name) {
        Proc.Result pids = Proc.tryRun("ip", "netns", "pids", name);
        if (pids.ok()) {
            for (String pid : pids.output().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(p -> Daemon.end(p, Daemon.GRACE));
                }
            }
        }
        Proc.tryRun("ip", "netns", "del", name);
        Path etc = ETC_NETNS.resolve(name);
        try {
            Files.deleteIfExists(etc.resolve("resolv.conf"));
            Files.deleteIfExists(etc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of all namespaces on the machine. */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        for (String line : Proc.run("ip", "netns", "list").split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return name;
    }
}
