package io.pxcprobe.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.testkit.Awaits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written in place is read only once it stopped changing: a half-written edit that happens
 * to be valid YAML (here: truncated before its members) is never applied, while the same content
 * left in place is (the control).
 */
class ConfigReloaderTest {
    private static final long PERIOD = 300;
    private static final String FULL = """
            node: n
            discovery:
              static:
                clusters:
                  - {namespace: db, name: c1, members: [{pod: c1-pxc-0, address: 10.0.0.1}, {pod: c1-pxc-1, address: 10.0.0.2}]}
            """;
    private static final String TRUNCATED = "node: n\ndiscovery:\n";

    @TempDir
    Path dir;

    @Test
    void aHalfWrittenEditIsNeverAppliedAndASettledOneIs() throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "node: n\n");
        List<Integer> appliedMembers = new CopyOnWriteArrayList<>();
        try (ConfigReloader reloader = new ConfigReloader(
                file, new ConfigLoader(k -> null), c -> appliedMembers.add(members(c)), ok -> {}, PERIOD)) {
            for (int edit = 0; edit < 8; edit++) {
                // in place: truncated first, complete half a poll period later
                Files.writeString(file, TRUNCATED);
                Thread.sleep(PERIOD / 2);
                Files.writeString(file, FULL.replace("node: n", "node: n" + edit));
                Thread.sleep(PERIOD * 4);
            }
            assertEquals(
                    List.of(2, 2, 2, 2, 2, 2, 2, 2),
                    appliedMembers,
                    "every edit applied once, whole, never the truncated state");

            Files.writeString(file, TRUNCATED);
            long deadline = System.nanoTime() + PERIOD * 10 * 1_000_000;
            while (appliedMembers.size() < 9 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(
                    appliedMembers.size() == 9 && appliedMembers.get(8) == 0,
                    "control: the truncated content, left in place, is applied: " + appliedMembers);
        }
    }

    /** /dev/zero never ends: read whole it would hold the reload thread until the heap ran out. */
    @Test
    void anEndlessFileIsReadOnlyPastTheLimitAndRefused() throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "node: n\n");
        List<Boolean> results = new CopyOnWriteArrayList<>();
        List<Integer> appliedMembers = new CopyOnWriteArrayList<>();
        try (ConfigReloader reloader = new ConfigReloader(
                file, new ConfigLoader(k -> null), c -> appliedMembers.add(members(c)), results::add, PERIOD)) {
            Path endless = dir.resolve("endless");
            Files.createSymbolicLink(endless, Path.of("/dev/zero"));
            Files.move(endless, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Awaits.until("the endless file refused", Duration.ofSeconds(10), () -> results.contains(false));
            assertEquals(List.of(), appliedMembers);

            Path good = dir.resolve("good");
            Files.writeString(good, FULL);
            Files.move(good, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Awaits.until(
                    "the control: a good file after it applied", Duration.ofSeconds(10), () -> results.contains(true));
            assertEquals(List.of(2), appliedMembers, "the reload thread was free to read it");
        }
    }

    private static int members(AgentConfig c) {
        return c.staticDiscovery().clusters().stream()
                .mapToInt(x -> x.members().size())
                .sum();
    }
}
