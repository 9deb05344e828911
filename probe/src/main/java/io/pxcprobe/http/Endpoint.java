package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** One path of the HTTP API. Handlers never block: slow work completes the future later. */
public interface Endpoint {

    CompletableFuture<FullHttpResponse> handle(Request request) throws Request.BadRequest;

    /** Methods allowed on this path; others get 405 with an Allow header. */
    default java.util.Set<String> methods() {
        return java.util.Set.of("GET", "HEAD");
    }
}
