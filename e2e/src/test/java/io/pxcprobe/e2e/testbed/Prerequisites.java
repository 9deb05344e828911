package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the suite needs from the machine; a missing piece fails the suite with the fix, never skips it. */
public final class Prerequisites {
    private static final List<String> COMMANDS = List.of(
            "ip",
            "iptables",
            "sysctl",
            "setsid",
            "mariadbd",
            "mariadb",
            "mariadb-install-db",
            "rsync",
            "socat",
            "garbd",
            "dnsmasq",
            "prometheus",
            "promtool",
            "prometheus-alertmanager",
            "gcc");
    private static final List<String> FILES =
            List.of("/usr/lib/galera/libgalera_smm.so", "/usr/include/libnetfilter_queue/libnetfilter_queue.h");

    private Prerequisites() {}

    public static void check(Testbed.Settings s) {
        List<String> missing = new ArrayList<>();
        if (!"0".equals(Proc.run("id", "-u").strip())) {
            missing.add("root (the testbed creates network namespaces and iptables rules)");
        }
        for (String c : COMMANDS) {
            if (!Proc.tryRun("sh", "-c", "command -v " + c).ok()) {
                missing.add("command " + c);
            }
        }
        FILES.stream().filter(f -> !Files.exists(Path.of(f))).forEach(f -> missing.add("file " + f));
        if (!Proc.tryRun("id", "mysql").ok()) {
            missing.add("user mysql (package mariadb-server)");
        }
        if (!Files.isExecutable(s.dist().resolve("bin/pxc-probe"))) {
            missing.add("the agent's distribution at " + s.dist() + " (mvn -B -q package -pl probe -am -DskipTests)");
        }
        if (!Files.isReadable(s.rules())) {
            missing.add("the alert rules at " + s.rules() + " (-Dpxcprobe.e2e.rules=FILE)");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(
                    "The end-to-end suite cannot run; missing: " + String.join("; ", missing)
                            + ". Run .ci/install-deps as root, or build with -Dpxcprobe.e2e.skip=true for a quick local build.");
        }
    }
}
