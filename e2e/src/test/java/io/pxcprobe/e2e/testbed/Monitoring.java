package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Awaits;
import io.pxcprobe.testkit.Daemon;
import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prometheus (scraping the agents with {@code honor_labels}, evaluating the project's rules with
 * only their {@code for:} shortened) and Alertmanager (sending every alert on its own to the
 * test's webhook), both in one namespace.
 */
public record Monitoring(Daemon prometheus, Daemon alertmanager, PrometheusApi api) implements AutoCloseable {
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    public static final String WATCHDOG = "E2EWatchdog";
    private static final Pattern FOR = Pattern.compile("(?m)^(\\s*for:\\s*)\\S+\\s*$");

    /**
     * @param rules     the shipped rules file
     * @param ruleFor   what every {@code for:} becomes
     * @param agents    scrape targets {@code ip:port}
     */
    static Monitoring start(
            NetNs ns,
            String ip,
            Path dir,
            Run run,
            Path rules,
            Duration ruleFor,
            List<String> agents,
            String webhookUrl) {
        try {
            Files.createDirectories(dir.resolve("tsdb"));
            Files.createDirectories(dir.resolve("am"));
            String shortened = FOR.matcher(Files.readString(rules)).replaceAll("$1" + ruleFor.toSeconds() + "s");
            Files.writeString(dir.resolve("rules.yml"), shortened);
            Files.writeString(dir.resolve("watchdog.rules.yml"), """
                    # Always firing: proves rule evaluation -> Alertmanager -> webhook works before any scenario relies on it.
                    groups:
                      - name: e2e-watchdog
                        rules:
                          - alert: %s
                            expr: vector(1)
                    """.formatted(WATCHDOG));
            Proc.run(
                    "promtool",
                    "check",
                    "rules",
                    dir.resolve("rules.yml").toString(),
                    dir.resolve("watchdog.rules.yml").toString());
            String s = SCRAPE_INTERVAL.toSeconds() + "s";
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: %s, scrape_timeout: %s, evaluation_interval: %s}
                    rule_files: [rules.yml, watchdog.rules.yml]
                    alerting:
                      alertmanagers:
                        - static_configs: [{targets: ['%s:9093']}]
                    scrape_configs:
                      - job_name: pxc-probe
                        honor_labels: true
                        static_configs: [{targets: [%s]}]
                    """.formatted(
                    s,
                    s,
                    s,
                    ip,
                    String.join(", ", agents.stream().map(a -> "'" + a + "'").toList())));
            Files.writeString(dir.resolve("alertmanager.yml"), """
                    route:
                      receiver: test
                      group_by: ['...']
                      group_wait: 1s
                      group_interval: 1s
                      repeat_interval: 1h
                    receivers:
                      - name: test
                        webhook_configs: [{url: '%s', send_resolved: true}]
                    """.formatted(webhookUrl));
            Proc.run(
                    "promtool", "check", "config", dir.resolve("prometheus.yml").toString());
            Daemon am = ns.startDaemon(
                    "alertmanager",
                    run.log("alertmanager"),
                    List.of(
                            "prometheus-alertmanager",
                            "--config.file=" + dir.resolve("alertmanager.yml"),
                            "--storage.path=" + dir.resolve("am"),
                            "--web.listen-address=" + ip + ":9093",
                            "--cluster.listen-address="));
            Daemon prom = ns.startDaemon(
                    "prometheus",
                    run.log("prometheus"),
                    List.of(
                            "prometheus",
                            "--config.file=" + dir.resolve("prometheus.yml"),
                            "--storage.tsdb.path=" + dir.resolve("tsdb"),
                            "--web.listen-address=" + ip + ":9090",
                            "--storage.tsdb.retention.time=1d",
                            // Alerts that fire before Alertmanager is discovered are dropped; resend soon rather than
                            // after 1 m.
                            "--rules.alert.resend-delay=2s"));
            Monitoring m = new Monitoring(prom, am, new PrometheusApi("http://" + ip + ":9090"));
            Awaits.poll("Prometheus ready with the rules loaded", Duration.ofSeconds(60), () -> {
                if (!prom.alive() || !am.alive()) {
                    throw new AssertionError(
                            "Prometheus or Alertmanager exited:\n" + prom.logTail(20) + "\n" + am.logTail(20));
                }
                return m.api.ready();
            });
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logs() {
        return "--- prometheus\n" + prometheus.logTail(20) + "\n--- alertmanager\n" + alertmanager.logTail(20);
    }

    @Override
    public void close() {
        prometheus.close();
        alertmanager.close();
    }
}
