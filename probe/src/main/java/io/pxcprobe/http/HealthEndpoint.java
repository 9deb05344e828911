package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code /healthz} and {@code /readyz}: 200 with "ok", or 503 with what is wrong. */
public final class HealthEndpoint implements BufferedEndpoint {
    private final Supplier<List<String>> problems;

    /** @param problems what is wrong now; empty when healthy */
    public HealthEndpoint(Supplier<List<String>> problems) {
        this.problems = problems;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Request request) throws Request.BadRequest {
        request.allowOnly(List.of());
        List<String> wrong = problems.get();
        FullHttpResponse r = wrong.isEmpty()
                ? Responses.text(HttpResponseStatus.OK, "ok\n")
                : Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, String.join("\n", wrong) + "\n");
        return CompletableFuture.completedFuture(r);
    }
}
