package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Grafana dashboards: well-formed, importable, and every query valid PromQL. */
class DashboardsTest {
    private static final Set<String> REQUIRED_VARIABLES = Set.of("datasource", "namespace", "cluster", "source_node");

    static Map<Path, Map<String, Object>> dashboards() throws Exception {
        Map<Path, Map<String, Object>> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(Repository.dashboards())) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.put(p, Chart.map(Files.readString(p)));
            }
        }
        return out;
    }

    /** Every panel, rows' nested panels included. */
    static List<Map<?, ?>> panels(Map<String, Object> dashboard) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object p : (List<?>) dashboard.get("panels")) {
            out.add((Map<?, ?>) p);
            Object nested = ((Map<?, ?>) p).get("panels");
            if (nested instanceof List<?> l) {
                l.forEach(n -> out.add((Map<?, ?>) n));
            }
        }
        return out;
    }

    /** Every PromQL text: panel targets and query variables. */
    static List<String> expressions(Map<String, Object> dashboard) {
        List<String> out = new ArrayList<>();
        for (Map<?, ?> panel : panels(dashboard)) {
            Object targets = panel.get("targets");
            if (targets instanceof List<?> l) {
                l.forEach(t -> out.add((String) ((Map<?, ?>) t).get("expr")));
            }
        }
        return out;
    }

    static List<String> variableQueries(Map<String, Object> dashboard) {
        List<String> out = new ArrayList<>();
        for (Object v : (List<?>) ((Map<?, ?>) dashboard.get("templating")).get("list")) {
            if ("query".equals(((Map<?, ?>) v).get("type"))) {
                out.add((String) ((Map<?, ?>) v).get("definition"));
            }
        }
        return out;
    }

    @Test
    void theFourDashboardsExistWithUniqueUidsAndCurrentSchema() throws Exception {
        var all = dashboards();
        assertEquals(
                Set.of(
                        "pxc-probe-overview.json",
                        "pxc-probe-latency.json",
                        "pxc-probe-dns.json",
                        "pxc-probe-agents.json"),
                new HashSet<>(all.keySet().stream()
                        .map(p -> p.getFileName().toString())
                        .toList()));
        Set<Object> uids = new HashSet<>();
        for (var e : all.entrySet()) {
            Map<String, Object> d = e.getValue();
            assertTrue(uids.add(d.get("uid")), "duplicate uid in " + e.getKey());
            assertTrue(((String) d.get("uid")).length() <= 40, "uid too long");
            assertTrue(((Number) d.get("schemaVersion")).intValue() >= 39, e.getKey() + " schemaVersion");
            assertFalse(
                    d.containsKey("id") && d.get("id") != null,
                    e.getKey() + ": an id breaks import into another Grafana");
        }
    }

    @Test
    void panelIdsAreUniqueAndEveryQueryUsesTheDatasourceVariable() throws Exception {
        for (var e : dashboards().entrySet()) {
            Set<Object> ids = new HashSet<>();
            for (Map<?, ?> panel : panels(e.getValue())) {
                assertTrue(panel.get("id") instanceof Number, e.getKey() + ": panel without id: " + panel.get("title"));
                assertTrue(ids.add(panel.get("id")), e.getKey() + ": duplicate panel id " + panel.get("id"));
                assertTrue(
                        panel.get("gridPos") instanceof Map,
                        e.getKey() + ": " + panel.get("title") + " has no gridPos");
                if (panel.get("targets") instanceof List<?> targets) {
                    for (Object t : targets) {
                        assertEquals(
                                "${datasource}",
                                ((Map<?, ?>) ((Map<?, ?>) t).get("datasource")).get("uid"),
                                e.getKey() + ": " + panel.get("title"));
                    }
                }
            }
        }
    }

    @Test
    void everyDashboardHasTheTemplateVariablesAndUsesThem() throws Exception {
        for (var e : dashboards().entrySet()) {
            Set<String> names = new HashSet<>();
            for (Object v : (List<?>) ((Map<?, ?>) e.getValue().get("templating")).get("list")) {
                names.add((String) ((Map<?, ?>) v).get("name"));
            }
            assertTrue(names.containsAll(REQUIRED_VARIABLES), e.getKey() + " variables " + names);
            String queries = String.join("\n", expressions(e.getValue()));
            for (String v : names) {
                if (!v.equals("datasource")) {
                    assertTrue(queries.contains("$" + v), e.getKey() + ": variable $" + v + " is used by no panel");
                }
            }
        }
    }

    @Test
    void everyExpressionIsValidPromQL() throws Exception {
        // promtool parses each expression as a recording rule: the same parser Prometheus uses for queries
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int n = 0;
        for (var e : dashboards().entrySet()) {
            for (String expr : expressions(e.getValue())) {
                rules.append("      - record: dashboard_expression_")
                        .append(n++)
                        .append('\n')
                        .append("        expr: ")
                        .append(yamlQuote(PromQL.substituteGrafanaVariables(expr)))
                        .append('\n');
            }
        }
        assertTrue(n > 40, "only " + n + " expressions found");
        Path dir = Repository.scratch("dashboards");
        Path file = dir.resolve("dashboards.rules.yml");
        Files.writeString(file, rules.toString());
        String out = Promtool.succeed(dir, "check", "rules", file.toString());
        assertTrue(out.contains("SUCCESS: " + n + " rules found"), out);
    }

    static String yamlQuote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
