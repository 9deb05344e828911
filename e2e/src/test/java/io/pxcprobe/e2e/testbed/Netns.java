package io.pxcprobe.e2e.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A network namespace: one "host" of the testbed, with lo up and IPv6 off. */
public final class Netns {
    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    public static Netns create(String name) {
        Cmd.run("ip", "netns", "add", name);
        Netns ns = new Netns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec NAME argv...}: fails on a non-zero exit. */
    public String exec(String... argv) {
        return Cmd.run(prefixed(argv));
    }

    public Cmd.Result tryExec(Duration timeout, String... argv) {
        return Cmd.tryRun(timeout, prefixed(argv));
    }

    /** The argv that runs a command inside this namespace. */
    public String[] prefixed(String... argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(argv));
        return all.toArray(String[]::new);
    }

    /**
     * Gives processes started with {@code ip netns exec} this resolv.conf: ip(8) bind-mounts
     * /etc/netns/NAME/* over /etc in the mount namespace it creates for each command.
     */
    public void resolvConf(String nameserver) {
        try {
            Path dir = Files.createDirectories(ETC_NETNS.resolve(name));
            Files.writeString(dir.resolve("resolv.conf"), "nameserver " + nameserver + "\noptions timeout:1 attempts:1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends every process still inside, deletes the namespace and its /etc/netns entry; safe to repeat. */
    public static void destroy(String name) {
        Cmd.Result pids = Cmd.tryRun("ip", "netns", "pids", name);
        if (pids.ok()) {
            for (String pid : pids.output().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(Daemon::terminate);
                }
            }
        }
        Cmd.tryRun("ip", "netns", "del", name);
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
        for (String line : Cmd.run("ip", "netns", "list").split("\n")) {
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
