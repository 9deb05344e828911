package io.pxcprobe.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * {@code /metrics}: Prometheus text or OpenMetrics (or protobuf) as the Accept header asks, streamed
 * and gzip-compressed when accepted. Rendering runs on the scrape executor, off the event loop.
 */
public final class MetricsEndpoint implements StreamingEndpoint {
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
        return new Body(writer.getContentType(), out -> writer.write(out, registry.scrape()));
    }

    @Override
    public Executor executor() {
        return scrapeExecutor;
    }
}
