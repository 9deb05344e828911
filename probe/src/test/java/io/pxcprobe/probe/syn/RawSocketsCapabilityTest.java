package io.pxcprobe.probe.syn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.testkit.Privileges;
import io.pxcprobe.testkit.Proc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capability check that settles {@code mode: auto}, run in a fresh JVM with and without
 * CAP_NET_RAW (dropped from the bounding set by capsh and by setpriv, so even root loses it).
 */
class RawSocketsCapabilityTest {

    @BeforeAll
    static void needsRoot() {
        Privileges.assumeRoot();
    }

    @Test
    void availableWithCapNetRaw() throws Exception {
        String out = Proc.run(javaCommand().toArray(String[]::new));
        assertTrue(
                out.contains("available=true") && out.contains("CAP_NET_RAW held") && out.contains("prober=opened"),
                out);
    }

    @Test
    void unavailableWhenCapshDropsCapNetRaw() throws Exception {
        String out = Proc.run("capsh", "--drop=cap_net_raw", "--", "-c", String.join(" ", quoted(javaCommand())));
        assertUnavailable(out);
    }

    @Test
    void unavailableWhenSetprivDropsCapNetRaw() throws Exception {
        List<String> command =
                new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw"));
        command.addAll(javaCommand());
        assertUnavailable(Proc.run(command.toArray(String[]::new)));
    }

    private static void assertUnavailable(String out) {
        assertTrue(
                out.contains("available=false")
                        && out.contains("EPERM")
                        && out.contains("lacks CAP_NET_RAW")
                        && out.contains("prober=refused SYN probes unavailable"),
                out);
    }

    private static List<String> javaCommand() {
        return new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djna.tmpdir=" + System.getProperty("jna.tmpdir", System.getProperty("java.io.tmpdir")),
                "-cp",
                System.getProperty("java.class.path"),
                CapabilityReport.class.getName()));
    }

    private static List<String> quoted(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList();
    }
}
