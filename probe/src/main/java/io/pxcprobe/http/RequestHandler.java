package io.pxcprobe.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes a request to its endpoint and writes the answer back on the channel's own event loop. */
@ChannelHandler.Sharable
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
    private final Map<String, Endpoint> routes;

    RequestHandler(Map<String, Endpoint> routes) {
        this.routes = Map.copyOf(routes);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        CompletableFuture<FullHttpResponse> answer;
        if (!req.decoderResult().isSuccess()) {
            answer = done(Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed request"));
            keepAlive = false;
        } else {
            answer = route(req);
        }
        boolean keep = keepAlive;
        answer.whenComplete((resp, err) -> ctx.executor().execute(() -> {
            FullHttpResponse r = err == null ? resp
                    : Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, err.getClass().getSimpleName());
            if (err != null) {
                LOG.warn("request {} failed", req.uri(), err);
            }
            write(ctx, r, keep, head);
        }));
    }

    private CompletableFuture<FullHttpResponse> route(FullHttpRequest req) {
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8, true, 32);
        } catch (IllegalArgumentException e) {
            return done(Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed URI"));
        }
        Endpoint ep = routes.get(uri.path());
        if (ep == null) {
            return done(Responses.error(HttpResponseStatus.NOT_FOUND,
                    "no such path " + uri.path() + "; try " + String.join(", ", new TreeSet<>(routes.keySet()))));
        }
        if (!ep.methods().contains(req.method().name())) {
            FullHttpResponse r = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    req.method().name() + " is not allowed on " + uri.path());
            r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", new TreeSet<>(ep.methods())));
            return done(r);
        }
        Request request = new Request(req.method(), uri.path(), uri.parameters(), req.headers().get(HttpHeaderNames.ACCEPT));
        try {
            return ep.handle(request);
        } catch (Request.BadRequest e) {
            return done(Responses.error(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("endpoint {} failed", uri.path(), e);
            return done(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getClass().getSimpleName()));
        }
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive, boolean head) {
        if (head) {
            r.content().clear();
        }
        if (keepAlive) {
            HttpUtil.setKeepAlive(r, true);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
