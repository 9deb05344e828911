package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code /metrics}: Prometheus text or OpenMetrics (or protobuf) as the Accept header asks.
 * Rendering thousands of series is CPU work, so it runs on the scrape executor, off the event loop.
 */
public final class MetricsEndpoint implements Endpoint {
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Executor scrapeExecutor;

    public MetricsEndpoint(PrometheusRegistry registry, Executor scrapeExecutor) {
        this.registry = registry;
        this.scrapeExecutor = scrapeExecutor;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Request request) throws Request.BadRequest {
        request.allowOnly(List.of());
        ExpositionFormatWriter writer = formats.findWriter(request.accept());
        try {
            return CompletableFuture.supplyAsync(() -> render(writer), scrapeExecutor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many scrapes at once"));
        }
    }

    private FullHttpResponse render(ExpositionFormatWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            return Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "rendering failed");
        }
        return Responses.bytes(HttpResponseStatus.OK, writer.getContentType(), out.toByteArray());
    }
}
