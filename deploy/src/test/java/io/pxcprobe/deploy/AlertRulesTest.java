package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rules file with promtool, and the PrometheusRule the chart makes of it. */
class AlertRulesTest {
    /** In the file's order; PXCBackupWillFail twice, as its critical and its warning rule. */
    static final List<String> ALERTS = List.of(
            "PXCGaleraGcommUnreachable",
            "PXCGaleraGcommPartition",
            "PXCProbeNodeIsolated",
            "PXCSSTPathFiltered",
            "PXCISTPathFiltered",
            "PXCDNSLookupFailing",
            "PXCDNSStale",
            "PXCProbeAgentsMissing",
            "PXCProbeDiscoveryDown",
            "PXCProbeCheckLimit",
            "PXCBackupWillFail",
            "PXCBackupWillFail",
            "PXCBackupReversePathBlocked",
            "PXCBackupPathDegraded");

    private static final Pattern THRESHOLD = Pattern.compile("(?m)([0-9]+(?:\\.[0-9]+)?) # threshold: (\\w+)$");

    @Test
    void rulesFilePassesPromtoolCheck() throws Exception {
        String out = Promtool.succeed(
                Repository.root(), "check", "rules", Repository.rulesFile().toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyAlertFiresInItsCaseAndStaysSilentInTheNeighbouringOnes() throws Exception {
        List<Path> tests;
        try (Stream<Path> s = Files.list(Repository.root().resolve("deploy/src/test/promtool"))) {
            tests = s.filter(p -> p.toString().endsWith(".test.yml")).sorted().toList();
        }
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        tests.forEach(t -> args.add(t.toString()));
        Promtool.succeed(Repository.root(), args.toArray(String[]::new));

        // every alert has a case where it fires (a non-empty exp_alerts under its name)
        StringBuilder all = new StringBuilder();
        for (Path t : tests) {
            all.append(Files.readString(t));
        }
        for (String alert : ALERTS) {
            Pattern firing = Pattern.compile("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels");
            assertTrue(firing.matcher(all).find(), alert + " has no firing case in deploy/src/test/promtool");
            Pattern silent = Pattern.compile("alertname: " + alert + "\\s+exp_alerts: \\[\\]");
            assertTrue(silent.matcher(all).find(), alert + " has no silent case in deploy/src/test/promtool");
        }
    }

    @Test
    void rulesFileHasExactlyTheDocumentedAlertsEachWithSeverityRunbookAndSimpleFor() throws Exception {
        Map<String, Object> file = Chart.map(Files.readString(Repository.rulesFile()));
        List<Map<String, Object>> alerts = alerts(file);
        assertEquals(ALERTS, alerts.stream().map(a -> (String) a.get("alert")).toList());
        String text = Files.readString(Repository.rulesFile());
        for (Map<String, Object> a : alerts) {
            String name = (String) a.get("alert");
            Map<?, ?> labels = (Map<?, ?>) a.get("labels");
            assertTrue(Set.of("critical", "warning").contains(labels.get("severity")), name);
            Map<?, ?> annotations = (Map<?, ?>) a.get("annotations");
            assertTrue(((String) annotations.get("summary")).contains("{{"), name + " summary names what is affected");
            assertTrue(((String) annotations.get("runbook_url")).endsWith("/docs/runbooks/" + name + ".md"), name);
            assertTrue(Files.isRegularFile(Repository.runbooks().resolve(name + ".md")), "runbook for " + name);
            // the end-to-end suite shortens `for:` by rewriting these lines
            assertTrue(Pattern.compile("(?m)^ {8}for: [0-9]+m$")
                            .matcher(text)
                            .results()
                            .count()
                    >= ALERTS.size());
            assertTrue(((String) a.get("for")).matches("[0-9]+m"), name);
        }
        assertEquals("critical", ((Map<?, ?>) alerts.get(0).get("labels")).get("severity"));
    }

    @Test
    void thresholdsInTheFileAndInTheChartValuesAreTheSameSet() throws Exception {
        Map<String, String> marked = new LinkedHashMap<>();
        Matcher m = THRESHOLD.matcher(Files.readString(Repository.rulesFile()));
        while (m.find()) {
            String previous = marked.put(m.group(2), m.group(1));
            assertTrue(
                    previous == null || previous.equals(m.group(1)),
                    m.group(2) + " has two defaults in the rules file");
        }
        Map<String, Object> values =
                Chart.map(Files.readString(Repository.chart().resolve("values.yaml")));
        Map<?, ?> thresholds = (Map<?, ?>) ((Map<?, ?>) values.get("prometheusRule")).get("thresholds");
        assertEquals(
                new TreeSet<>(marked.keySet()),
                new TreeSet<>(thresholds.keySet().stream().map(Object::toString).toList()));
        for (var e : marked.entrySet()) {
            assertEquals(
                    Double.parseDouble(e.getValue()), ((Number) thresholds.get(e.getKey())).doubleValue(), e.getKey());
        }
        Map<?, ?> fors = (Map<?, ?>) ((Map<?, ?>) values.get("prometheusRule")).get("for");
        assertEquals(
                new TreeSet<>(ALERTS),
                new TreeSet<>(fors.keySet().stream().map(Object::toString).toList()));
    }

    @Test
    void defaultPrometheusRuleIsTheRulesFile() throws Exception {
        Map<String, Object> file = Chart.map(Files.readString(Repository.rulesFile()));
        Map<String, Object> spec = prometheusRuleSpec(Chart.render(List.of(), "prometheusRule.enabled", "true"));
        assertEquals(file.get("groups"), spec.get("groups"));
    }

    @Test
    void valuesChangeThresholdsForLabelsRunbooksAndDropAlertsAndTheResultStillPassesPromtool() throws Exception {
        Path overrides = Repository.scratch("values").resolve("rule-overrides.yaml");
        // a values file, not --set: helm's --set turns 0.75 into a string
        Files.writeString(overrides, """
                prometheusRule:
                  thresholds: {gcommUnreachableRatio: 0.75, gcommUnreachableMinAgents: 3}
                  for: {PXCGaleraGcommUnreachable: 4m}
                  disabledAlerts: [PXCProbeAgentsMissing]
                  backupLeadTime: 90m
                """);
        Chart.Rendered r = Chart.render(List.of(Repository.testResource("all-features.yaml"), overrides));
        Map<String, Object> spec = prometheusRuleSpec(r);
        List<Map<String, Object>> alerts = alerts(spec);
        assertFalse(alerts.stream().anyMatch(a -> "PXCProbeAgentsMissing".equals(a.get("alert"))));
        assertEquals(ALERTS.size() - 1, alerts.size());
        Map<String, Object> page = alerts.get(0);
        assertEquals("4m", page.get("for"));
        String expr = (String) page.get("expr");
        assertTrue(expr.contains(">= 0.75 # threshold: gcommUnreachableRatio"), expr);
        assertTrue(expr.contains("3 # threshold: gcommUnreachableMinAgents"), expr);
        assertFalse(expr.contains("0.5 #"), expr);
        List<String> lead = alerts.stream()
                .filter(a -> "PXCBackupWillFail".equals(a.get("alert")))
                .map(a -> (String) a.get("expr"))
                .toList();
        assertEquals(2, lead.size());
        lead.forEach(e -> assertTrue(e.contains("< 5400 # backupLeadTime"), "90m before the next backup: " + e));
        Map<?, ?> labels = (Map<?, ?>) page.get("labels");
        assertEquals("dba", labels.get("team"));
        assertEquals("critical", labels.get("severity"));
        assertEquals(
                "https://runbooks.example.com/pxc/PXCGaleraGcommUnreachable.md",
                ((Map<?, ?>) page.get("annotations")).get("runbook_url"));

        Path dir = Repository.scratch("rules");
        Path rendered = dir.resolve("rendered.rules.yml");
        Files.writeString(rendered, Chart.SERIALIZATION.asYaml(Map.of("groups", spec.get("groups"))));
        Promtool.succeed(dir, "check", "rules", rendered.toString());
    }

    static Map<String, Object> prometheusRuleSpec(Chart.Rendered r) {
        GenericKubernetesResource rule = r.oneCustom("PrometheusRule").orElseThrow();
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        return Chart.spec(rule);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alerts(Map<String, Object> rulesDocument) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object g : (List<?>) rulesDocument.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) g).get("rules")) {
                if (((Map<?, ?>) rule).containsKey("alert")) {
                    out.add((Map<String, Object>) rule);
                }
            }
        }
        return out;
    }
}
