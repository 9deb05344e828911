package io.pxcprobe.e2e.testbed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Alertmanager's webhook receiver: records every alert of every notification with the time it arrived. */
public final class Webhook implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert as a notification carried it: {@code status} is {@code firing} or {@code resolved}. */
    public record Received(Instant at, String status, Map<String, String> labels) {
        public String alertname() {
            return labels.getOrDefault("alertname", "");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private Webhook(HttpServer server) {
        this.server = server;
    }

    public static Webhook start(String bindIp) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindIp, 0), 16);
            Webhook w = new Webhook(server);
            server.createContext("/alerts", exchange -> {
                try (exchange) {
                    w.record(JSON.readTree(exchange.getRequestBody()));
                    exchange.sendResponseHeaders(200, -1);
                } catch (RuntimeException | IOException e) {
                    // The HTTP server would swallow it; a lost notification must show in the test output.
                    System.err.println("webhook: cannot read a notification: " + e);
                    throw e;
                }
            });
            server.start();
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(JsonNode notification) {
        Instant now = Instant.now();
        for (JsonNode alert : notification.path("alerts")) {
            Map<String, String> labels = new TreeMap<>();
            alert.path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
            received.add(new Received(now, alert.path("status").asString(), labels));
        }
    }

    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/alerts";
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Alerts received since {@code since}. */
    public List<Received> since(Instant since) {
        return received.stream().filter(r -> !r.at().isBefore(since)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
