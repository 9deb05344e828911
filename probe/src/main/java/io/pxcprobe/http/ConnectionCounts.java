package io.pxcprobe.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Connections the server ended on its own: refused at a cap, or closed at a deadline. */
public final class ConnectionCounts {
    /** Why the server closed a connection; each label is a bounded metric label value. */
    public enum Closure {
        REQUEST_DEADLINE("request_deadline", "no complete request"),
        IDLE("idle", "no next request"),
        RESPONSE_DEADLINE("response_deadline", "response not taken"),
        PIPELINE_DEPTH("pipeline_depth", "too many pipelined requests"),
        EVICTED("evicted", "idle, its slot given to a new connection at a cap");

        private final String label;
        private final String reason;

        Closure(String label, String reason) {
            this.label = label;
            this.reason = reason;
        }

        public String label() {
            return label;
        }

        String reason() {
            return reason;
        }
    }

    private final LongAdder refused = new LongAdder();
    private final Map<Closure, LongAdder> closed = new EnumMap<>(Closure.class);

    public ConnectionCounts() {
        for (Closure c : Closure.values()) {
            closed.put(c, new LongAdder());
        }
    }

    public long refused() {
        return refused.sum();
    }

    public long closed(Closure why) {
        return closed.get(why).sum();
    }

    /** Exports both counts, each from the start of this server. */
    public void register(PrometheusRegistry registry, Labels constLabels) {
        CounterWithCallback.builder()
                .name("pxc_probe_http_connections_refused_total")
                .help(
                        "HTTP connections closed at accept: all clients' or this client address's connection cap was reached.")
                .constLabels(constLabels)
                .callback(cb -> cb.call(refused()))
                .register(registry);
        CounterWithCallback.builder()
                .name("pxc_probe_http_connections_closed_total")
                .help("HTTP connections the agent closed at a deadline or limit, by reason.")
                .constLabels(constLabels)
                .labelNames("reason")
                .callback(cb -> closed.forEach((why, n) -> cb.call(n.sum(), why.label())))
                .register(registry);
    }

    void refusedOne() {
        refused.increment();
    }

    void closedOne(Closure why) {
        closed.get(why).increment();
    }
}
