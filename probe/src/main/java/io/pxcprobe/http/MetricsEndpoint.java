package io.pxcprobe.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * {@code /metrics}: Prometheus text or OpenMetrics (or protobuf) as the Accept header asks, streamed
 * and gzip-compressed when accepted. Rendering runs on the scrape executor, off the event loop.
 */
public final class MetricsEndpoint implements StreamingEndpoint {
    /** The families with series per target: rendered one at a time to bound a scrape's memory. */
    private static final Set<String> PER_TARGET_FAMILIES = Set.of("pxc_probe_tcp_probes", "pxc_probe_tcp_path_up",
            "pxc_probe_tcp_connect_duration_seconds", "pxc_probe_dns_lookups", "pxc_probe_dns_up",
            "pxc_probe_dns_lookup_duration_seconds");
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Executor scrapeExecutor;

    public MetricsEndpoint(PrometheusRegistry registry, Executor scrapeExecutor) {
        this.registry = registry;
        this.scrapeExecutor = scrapeExecutor;
    }

    @Override
    public Body open(Request request) throws Request.BadRequest {
        request.allowOnly(List.of());
        ExpositionFormatWriter writer = formats.findWriter(request.accept());
        return new Body(writer.getContentType(), out -> FamilyByFamily.write(registry, writer, out, PER_TARGET_FAMILIES));
    }

    @Override
    public Executor executor() {
        return scrapeExecutor;
    }
}
