package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /identity}: which node and pod this agent is. The sidecars ask it once per agent address
 * to label the paths back to the agent's node; the answer is a few bytes and never changes.
 */
public final class IdentityEndpoint implements BufferedEndpoint {
    /** The schema of the answer. */
    public record Identity(String node, String pod, String version) {}

    private final Identity identity;

    public IdentityEndpoint(Identity identity) {
        this.identity = identity;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Request request) throws Request.BadRequest {
        request.allowOnly(List.of());
        return CompletableFuture.completedFuture(Responses.json(HttpResponseStatus.OK, identity));
    }
}
