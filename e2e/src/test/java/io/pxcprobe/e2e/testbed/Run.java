package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * One run of the suite: a random id that prefixes every namespace, link and directory it makes,
 * and an owner file naming the JVM, so that a later run can tell a crashed run's leftovers from a
 * run still going in parallel.
 */
public final class Run {
    static final String PREFIX = "pxe2e";
    private static final Path TMP = Path.of("/tmp");

    private final String id;
    private final Path dir;

    private Run(String id, Path dir) {
        this.id = id;
        this.dir = dir;
    }

    public static Run begin() {
        removeLeftovers();
        String id = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextInt())
                .substring(2);
        try {
            Path dir = Files.createDirectory(
                    TMP.resolve(PREFIX + "-" + id),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            ProcessHandle self = ProcessHandle.current();
            Files.writeString(
                    dir.resolve("owner"),
                    self.pid() + " " + self.info().startInstant().orElseThrow().toEpochMilli());
            Files.createDirectories(dir.resolve("logs"));
            return new Run(id, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public Path log(String name) {
        return dir.resolve("logs").resolve(name + ".log");
    }

    /** A namespace name of this run, e.g. {@code pxe2e-1a2b3c-g0}. */
    public String nsName(String role) {
        return PREFIX + "-" + id + "-" + role;
    }

    /** The JVM-side veth (at most 15 characters). */
    public String hostLink() {
        return PREFIX + id;
    }

    /** Removes this run's namespaces, processes, link and files. Safe to call twice. */
    public void end() {
        removeRun(id);
    }

    /** Removes what earlier runs of this suite left behind when their JVM died; never a live run's. */
    static void removeLeftovers() {
        Set<String> ids = new TreeSet<>();
        for (String ns : NetNs.list()) {
            if (ns.startsWith(PREFIX + "-")) {
                ids.add(ns.split("-")[1]);
            }
        }
        try (Stream<Path> s = Files.list(TMP)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(PREFIX + "-[0-9a-f]{6}"))
                    .forEach(n -> ids.add(n.substring(PREFIX.length() + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ids.stream().filter(id -> !ownerAlive(id)).forEach(Run::removeRun);
    }

    private static boolean ownerAlive(String id) {
        Path owner = TMP.resolve(PREFIX + "-" + id).resolve("owner");
        try {
            String[] f = Files.readString(owner).strip().split(" ");
            return ProcessHandle.of(Long.parseLong(f[0]))
                    .flatMap(h -> h.info().startInstant())
                    .map(t -> t.toEpochMilli() == Long.parseLong(f[1]))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void removeRun(String id) {
        String nsPrefix = PREFIX + "-" + id + "-";
        // Hosts first, so that their daemons end before the bridge they talk through goes.
        NetNs.list().stream()
                .filter(n -> n.startsWith(nsPrefix))
                .sorted(Comparator.comparing((String n) -> n.endsWith("-br")))
                .forEach(NetNs::destroy);
        Proc.tryRun("ip", "link", "del", PREFIX + id);
        deleteTree(TMP.resolve(PREFIX + "-" + id));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
