package io.pxcprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: every flag, every way to get it wrong, and the exit codes. */
class MainTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void helpAndVersion() {
        CommandRun help = run("--help");
        assertEquals(0, help.code());
        assertTrue(
                help.out().contains("--check-config FILE") && help.out().contains("/probe?cluster=C&pod=P"),
                help.out());
        CommandRun version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().matches("pxc-probe \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
    }

    @Test
    void usageMistakesExitTwoWithOneLine() {
        for (String[] args : new String[][] {
            {},
            {"--frobnicate"},
            {"--config"},
            {"--config", "a", "--check-config", "b"},
            {"--config", "a", "--config", "b"},
            {"--config="},
            {"sidecar"},
            {"sidecar", "--agents", "a", "--config", "b"},
            {"sidecar", "--agents", "not a name!"},
            {"sidecar", "--verbose"}
        }) {
            CommandRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(
                    r.err().startsWith("pxc-probe: ") && r.err().strip().lines().count() == 1, r.err());
        }
    }

    @Test
    void checkConfigSummarisesAGoodFile() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(
                f,
                "node: n1\ndiscovery:\n  static:\n    clusters:\n      - {namespace: db, name: c1, members: [{pod: p0, address: 10.0.0.1}]}\n");
        CommandRun r = run("--check-config", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().contains(": ok")
                        && r.out().contains("tcp gcomm 4567 expect listening every 5s timeout 2s mode connect")
                        && r.out().contains("1 cluster(s), 1 member(s)"),
                r.out());
    }

    @Test
    void badConfigExitsTwoNamingFileLineAndKey() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "node: n1\nprobes:\n  tcp:\n    timeout: 2 seconds\n");
        for (String flag : new String[] {"--check-config", "--config"}) {
            CommandRun r = run(flag, f.toString());
            assertEquals(2, r.code());
            assertEquals(
                    "pxc-probe: " + f
                            + ":4: probes.tcp.timeout: '2 seconds' is not a duration (use e.g. 500ms, 5s, 1m30s)",
                    r.err().strip());
        }
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "node: n1\n");
        CommandRun kube = run(
                "--config",
                good.toString(),
                "--kubeconfig",
                dir.resolve("nokube").toString());
        assertEquals(2, kube.code());
        assertEquals(
                "pxc-probe: kubeconfig " + dir.resolve("nokube") + " cannot be read",
                kube.err().strip());
        CommandRun missing = run("--config", dir.resolve("none.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("cannot read"), missing.err());
    }
}
