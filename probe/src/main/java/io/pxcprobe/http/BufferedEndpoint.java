package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** An endpoint that answers with one whole response. It never blocks: slow work completes the future later. */
@FunctionalInterface
public non-sealed interface BufferedEndpoint extends Endpoint {

    CompletableFuture<FullHttpResponse> handle(Request request) throws Request.BadRequest;
}
