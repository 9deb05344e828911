package io.pxcprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** {@code pxc-probe check}: one run of a cluster's backup checks, its report and its exit codes, on loopback. */
class MainCheckTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void exitsZeroWhenEveryPathHoldsAndOneNamingTheFailingRequirementOtherwise() throws Exception {
        try (ServerSocket gcomm = new ServerSocket()) {
            gcomm.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            int port = gcomm.getLocalPort();
            Path good = config("good.yaml", port, "127.0.0.2", "127.0.0.2");
            CommandRun ok = run("check", "--namespace", "db", "--cluster", "c1", "--config", good.toString());
            assertEquals(0, ok.code(), ok.out() + ok.err());
            assertTrue(ok.out().contains("a backup started here would get through"), ok.out());
            assertTrue(ok.out().contains("  ok      gcomm"), ok.out());
            assertTrue(ok.out().contains("  ok      api"), ok.out());
            assertTrue(
                    ok.out().contains("  info    info sst")
                            && ok.out().contains("expected open or refused, seen refused"),
                    "SST is shown but proves no backup path: " + ok.out());
            assertTrue(ok.out().contains("  skip    admin"), "connect mode: the admin port is not probed: " + ok.out());

            // the second member's address has nothing listening: refused, where gcomm must listen
            Path bad = config("bad.yaml", port, "127.0.0.2", "127.0.0.3");
            CommandRun fail = run("check", "--namespace", "db", "--cluster", "c1", "--config", bad.toString());
            assertEquals(1, fail.code(), fail.out() + fail.err());
            assertTrue(fail.out().contains("would FAIL (gcomm)"), fail.out());
            assertTrue(fail.out().contains("  FAIL    gcomm "), fail.out());
            assertTrue(
                    fail.out()
                            .contains(" c1-pxc-1 127.0.0.3:" + port + " (gcomm, connect): expected open, seen refused"),
                    fail.out());
            assertTrue(
                    fail.out().contains(" c1-pxc-0 127.0.0.2:" + port + " (gcomm, connect): expected open, seen open"),
                    "positive control: the listening member reads open in the same run: " + fail.out());
            assertTrue(fail.out().contains("-> nothing listens on " + port), fail.out());

            CommandRun json = run(
                    "check", "--namespace", "db", "--cluster", "c1", "--config", bad.toString(), "--output", "json");
            assertEquals(1, json.code());
            Map<?, ?> report = JsonMapper.builder().build().readValue(json.out(), Map.class);
            assertEquals(false, report.get("backupPathReady"));
            assertEquals(List.of("gcomm"), report.get("failing"));

            CommandRun unknown = run("check", "--namespace", "db", "--cluster", "nope", "--config", good.toString());
            assertEquals(1, unknown.code(), unknown.out());
            assertTrue(unknown.out().contains("no PXC pod of this cluster was found"), unknown.out());
        }
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, run("check", "--cluster", "c1").code());
        assertTrue(run("check", "--cluster", "c1").err().contains("check needs --namespace NS and --cluster NAME"));
        assertEquals(
                2,
                run("check", "--namespace", "db", "--cluster", "c1", "--output", "xml")
                        .code());
        assertEquals(
                2,
                run("check", "--namespace", "db", "--cluster", "c1", "--colour").code());
        assertEquals(
                2,
                run(
                                "check",
                                "--namespace",
                                "db",
                                "--cluster",
                                "c1",
                                "--config",
                                dir.resolve("none.yaml").toString())
                        .code());
    }

    private Path config(String name, int port, String first, String second) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, """
                node: node-a
                probes:
                  tcp:
                    interval: 1s
                    timeout: 500ms
                    ports:
                      gcomm: {port: %d}
                      sst: {port: 4444, expect: reachable}
                discovery:
                  kubernetes: {enabled: false}
                  static:
                    clusters:
                      - namespace: db
                        name: c1
                        members:
                          - {pod: c1-pxc-0, address: %s}
                          - {pod: c1-pxc-1, address: %s}
                """.formatted(port, first, second));
        return f;
    }
}
