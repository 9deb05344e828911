package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.HttpGet;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The Prometheus HTTP API: instant queries and the alerts the rules produce. */
public final class PrometheusApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series of an instant vector. */
    public record Sample(Map<String, String> labels, double value) {
        public String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    /** An alert as Prometheus's rule evaluation sees it: {@code state} is {@code pending} or {@code firing}. */
    public record Alert(String state, Map<String, String> labels) {
        public String alertname() {
            return labels.getOrDefault("alertname", "");
        }
    }

    private final HttpGet http;

    public PrometheusApi(String base) {
        this.http = new HttpGet(base);
    }

    public List<Sample> query(String promql) {
        JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        List<Sample> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            out.add(new Sample(
                    labels(r.path("metric")),
                    Double.parseDouble(r.path("value").get(1).asString())));
        }
        return out;
    }

    public List<Alert> alerts() {
        List<Alert> out = new ArrayList<>();
        for (JsonNode a : get("/api/v1/alerts").path("alerts")) {
            out.add(new Alert(a.path("state").asString(), labels(a.path("labels"))));
        }
        return out;
    }

    public List<Alert> firing() {
        return alerts().stream().filter(a -> a.state().equals("firing")).toList();
    }

    /** Scrape targets that are up, by {@code instance}. */
    public long targetsUp() {
        long n = 0;
        for (JsonNode t : get("/api/v1/targets").path("activeTargets")) {
            if ("up".equals(t.path("health").asString())) {
                n++;
            }
        }
        return n;
    }

    /** Whether the server answers and has loaded its rules. */
    public boolean ready() {
        try {
            return get("/api/v1/rules").path("groups").size() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(path);
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
                throw new IllegalStateException("Prometheus " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus " + path + ": " + e, e);
        }
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asString()));
        return m;
    }
}
