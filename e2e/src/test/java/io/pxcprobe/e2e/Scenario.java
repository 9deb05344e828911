package io.pxcprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pxcprobe.e2e.testbed.Agent;
import io.pxcprobe.e2e.testbed.PrometheusApi;
import io.pxcprobe.e2e.testbed.Testbed;
import io.pxcprobe.e2e.testbed.Webhook;
import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** What every scenario does: start from a healthy, quiet testbed, then watch Prometheus and the webhook. */
public final class Scenario {
    /** Faster than the default so that the suite fits its time budget; the do-no-harm test uses the defaults. */
    public static final Agent.Rate RATE =
            new Agent.Rate(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));

    public static final Duration DETECT = Duration.ofSeconds(30);
    public static final Duration NOTIFY = Duration.ofSeconds(60);

    private static Agent.Rate running;

    private final Testbed tb;

    public Scenario(Testbed tb) {
        this.tb = tb;
    }

    public Testbed tb() {
        return tb;
    }

    public PrometheusApi prom() {
        return tb.prometheus();
    }

    /** Agents at {@link #RATE}; every gcomm path up from both agents; no project alert firing. */
    public void healthy() {
        ensureAgents(RATE);
        int paths = tb.galera().size() * tb.agents().size();
        Awaits.poll(
                "all " + paths + " gcomm paths up",
                Duration.ofSeconds(60),
                () -> prom().query("pxc_probe_tcp_path_up{port=\"gcomm\"} == 1").size() == paths);
        Awaits.poll(
                "no pxc-probe alert firing or pending",
                Duration.ofSeconds(90),
                () -> projectAlerts().isEmpty());
    }

    public void ensureAgents(Agent.Rate rate) {
        if (!rate.equals(running)
                || tb.agents().stream().anyMatch(a -> a.metricsText().isEmpty())) {
            tb.startAgents(rate);
            running = rate;
            Awaits.poll(
                    "Prometheus scraping both agents",
                    Duration.ofSeconds(30),
                    () -> prom().targetsUp() == tb.agents().size());
            // Windowed queries (increase) need two scraped values of every counter.
            int series = tb.galera().size() * tb.agents().size() * 3;
            Awaits.poll(
                    "every TCP path counted twice",
                    Duration.ofSeconds(60),
                    () -> prom()
                            .query("count(increase(pxc_probe_tcp_probes_total["
                                    + (rate.tcpInterval().toSeconds() * 3 + 2) + "s]) > 0)")
                            .stream()
                            .anyMatch(x -> x.value() >= series));
        }
    }

    public List<PrometheusApi.Alert> projectAlerts() {
        return prom().alerts().stream()
                .filter(a -> !a.alertname().startsWith("E2E"))
                .toList();
    }

    /** Waits until {@code promql} returns exactly {@code series} series; returns the time since {@code since}. */
    public Duration awaitSeries(String promql, int series, Instant since) {
        Awaits.poll(
                promql + " returning " + series + " series",
                DETECT,
                () -> prom().query(promql).size() == series);
        return Duration.between(since, Instant.now());
    }

    /** Waits until the webhook got {@code alertname} {@code status} with these labels; returns the time since {@code since}. */
    public Duration awaitNotification(String alertname, String status, Map<String, String> labels, Instant since) {
        Webhook.Received r = Awaits.poll(
                alertname + " " + status + " " + labels + " at the webhook",
                NOTIFY,
                () -> tb.webhook().since(since).stream()
                        .filter(n -> n.alertname().equals(alertname)
                                && n.status().equals(status)
                                && matches(n.labels(), labels))
                        .findFirst());
        return Duration.between(since, r.at());
    }

    /** Firing alerts of the project now, as {@code alertname} plus the labels named. */
    public void assertOnlyFiring(Predicate<PrometheusApi.Alert> allowed, String what) {
        List<PrometheusApi.Alert> other =
                projectAlerts().stream().filter(allowed.negate()).toList();
        assertEquals(List.of(), other, "alerts other than " + what);
    }

    /** No notification other than the allowed ones since {@code since}. */
    public void assertNoOtherNotification(Instant since, Predicate<Webhook.Received> allowed) {
        List<Webhook.Received> other = tb.webhook().since(since).stream()
                .filter(r -> !r.alertname().startsWith("E2E") && r.status().equals("firing") && !allowed.test(r))
                .toList();
        assertEquals(List.of(), other, "unexpected notifications");
    }

    /** Waits until every project alert has resolved in Prometheus. */
    public Duration awaitQuiet(Instant since) {
        Awaits.poll(
                "all pxc-probe alerts resolved", NOTIFY, () -> projectAlerts().isEmpty());
        return Duration.between(since, Instant.now());
    }

    public static boolean matches(Map<String, String> labels, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    public static Optional<Double> single(List<PrometheusApi.Sample> samples) {
        return samples.size() == 1 ? Optional.of(samples.getFirst().value()) : Optional.empty();
    }
}
