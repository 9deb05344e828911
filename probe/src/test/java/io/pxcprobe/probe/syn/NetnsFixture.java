package io.pxcprobe.probe.syn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to the host by a veth pair, with addresses from ranges no real
 * network uses here (198.18.0.0/15, a random ULA /64). The JVM stays in the host namespace and
 * probes the namespace's addresses; nothing routes further. Everything is removed on close.
 */
final class NetnsFixture implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    final String namespace;
    final String hostVeth;
    final InetAddress hostV4;
    final InetAddress nsV4;
    final InetAddress hostV6;
    final InetAddress nsV6;
    /** An address of the namespace's subnet that an {@code unreachable} route in the host covers. */
    final InetAddress unroutableV4;
    final InetAddress unroutableV6;
    private final List<Process> processes = new ArrayList<>();
    private final List<String[]> undo = new ArrayList<>();

    static void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces, raw sockets)");
    }

    NetnsFixture() throws IOException, InterruptedException {
        String suffix = Integer.toHexString(0x100000 | RANDOM.nextInt(0xfffff)).substring(1);
        int octet = 1 + RANDOM.nextInt(254);
        String ula = String.format("fd7e:%04x:%04x", RANDOM.nextInt(0x10000), RANDOM.nextInt(0x10000));
        namespace = "pxsyn-" + suffix;
        hostVeth = "pxsh" + suffix;
        String nsVeth = "pxsn" + suffix;
        hostV4 = InetAddress.getByName("198.18." + octet + ".1");
        nsV4 = InetAddress.getByName("198.18." + octet + ".2");
        unroutableV4 = InetAddress.getByName("198.18." + octet + ".200");
        hostV6 = InetAddress.getByName(ula + "::1");
        nsV6 = InetAddress.getByName(ula + "::2");
        unroutableV6 = InetAddress.getByName(ula + "::200");
        try {
            run("ip", "netns", "add", namespace);
            undo.add(new String[] {"ip", "netns", "del", namespace});
            run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth, "netns", namespace);
            undo.add(0, new String[] {"ip", "link", "del", hostVeth});
            run("ip", "addr", "add", hostV4.getHostAddress() + "/24", "dev", hostVeth);
            run("ip", "-6", "addr", "add", hostV6.getHostAddress() + "/64", "dev", hostVeth, "nodad");
            run("ip", "link", "set", hostVeth, "up");
            inNs("ip", "link", "set", "lo", "up");
            inNs("ip", "addr", "add", nsV4.getHostAddress() + "/24", "dev", nsVeth);
            inNs("ip", "-6", "addr", "add", nsV6.getHostAddress() + "/64", "dev", nsVeth, "nodad");
            inNs("ip", "link", "set", nsVeth, "up");
            run("ip", "route", "add", "unreachable", unroutableV4.getHostAddress() + "/32");
            undo.add(0, new String[] {"ip", "route", "del", "unreachable", unroutableV4.getHostAddress() + "/32"});
            run("ip", "-6", "route", "add", "unreachable", unroutableV6.getHostAddress() + "/128");
            undo.add(0, new String[] {"ip", "-6", "route", "del", "unreachable", unroutableV6.getHostAddress() + "/128"});
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs a command in the namespace and returns its output. */
    String inNs(String... command) throws IOException, InterruptedException {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return run(full);
    }

    /** Starts a long-running command in the namespace; it is ended by PID on close. */
    Process startInNs(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(process);
        return process;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        return output;
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String[] command : undo) {
            try {
                run(command);
            } catch (Exception ignored) {
                // already gone with the namespace
            }
        }
    }
}
