package io.pxcprobe.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pxcprobe.metrics.SlicedFamily;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * {@code /metrics}: Prometheus text or OpenMetrics (or protobuf) as the Accept header asks, streamed
 * and gzip-compressed when accepted. Rendering runs on the scrape executor, off the event loop.
 */
public final class MetricsEndpoint implements StreamingEndpoint {
    private final PrometheusRegistry registry;
    private final List<SlicedFamily> perTargetFamilies;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Executor scrapeExecutor;

    /** @param perTargetFamilies the registry's families with a series per target, rendered a slice at a time */
    public MetricsEndpoint(PrometheusRegistry registry, List<SlicedFamily> perTargetFamilies, Executor scrapeExecutor) {
        this.registry = registry;
        this.perTargetFamilies = perTargetFamilies;
        this.scrapeExecutor = scrapeExecutor;
    }

    @Override
    public Body open(Request request) throws Request.BadRequest {
        request.allowOnly(List.of());
        ExpositionFormatWriter writer = formats.findWriter(request.accept());
        return new Body(
                writer.getContentType(), out -> SlicedExposition.write(registry, writer, out, perTargetFamilies));
    }

    @Override
    public Executor executor() {
        return scrapeExecutor;
    }
}
