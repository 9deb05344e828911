package io.pxcprobe.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
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
            answer = done(malformed(req.decoderResult().cause()));
            keepAlive = false;
        } else {
            answer = route(ctx, req);
        }
        boolean keep = keepAlive;
        if (answer == STREAMED) {
            return;
        }
        answer.whenComplete((resp, err) -> ctx.executor().execute(() -> {
            FullHttpResponse r = err == null
                    ? resp
                    : Responses.error(
                            HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            err.getClass().getSimpleName());
            if (err != null) {
                LOG.warn("request {} failed", req.uri(), err);
            }
            write(ctx, r, keep, head);
        }));
    }

    private static FullHttpResponse malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Responses.error(
                    HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "request line longer than " + HttpServer.MAX_INITIAL_LINE + " bytes");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Responses.error(
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "headers larger than " + HttpServer.MAX_HEADERS + " bytes");
        }
        if (cause instanceof TooLongHttpContentException) {
            return Responses.error(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body larger than " + HttpServer.MAX_BODY + " bytes");
        }
        return Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed request");
    }

    private CompletableFuture<FullHttpResponse> route(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.protocolVersion().majorVersion() != 1) {
            return done(Responses.error(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1"));
        }
        QueryStringDecoder uri;
        Map<String, List<String>> parameters;
        try {
            uri = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8, true, 32);
            // both decode lazily, and throw on a bad escape
            uri.path();
            parameters = uri.parameters();
        } catch (IllegalArgumentException e) {
            return done(Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed URI: " + e.getMessage()));
        }
        Endpoint ep = routes.get(uri.path());
        if (ep == null) {
            return done(Responses.error(
                    HttpResponseStatus.NOT_FOUND,
                    "no such path " + uri.path() + "; try " + String.join(", ", new TreeSet<>(routes.keySet()))));
        }
        if (!ep.methods().contains(req.method().name())) {
            FullHttpResponse r = Responses.error(
                    HttpResponseStatus.METHOD_NOT_ALLOWED, req.method().name() + " is not allowed on " + uri.path());
            r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", new TreeSet<>(ep.methods())));
            return done(r);
        }
        Request request =
                new Request(req.method(), uri.path(), parameters, req.headers().get(HttpHeaderNames.ACCEPT));
        try {
            return switch (ep) {
                case StreamingEndpoint streaming -> stream(ctx, req, streaming, streaming.open(request));
                case BufferedEndpoint buffered -> buffered.handle(request);
            };
        } catch (Request.BadRequest e) {
            return done(Responses.error(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("endpoint {} failed", uri.path(), e);
            return done(Responses.error(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getClass().getSimpleName()));
        }
    }

    /** Marks a request whose response the streaming path writes itself. */
    private static final CompletableFuture<FullHttpResponse> STREAMED = new CompletableFuture<>();

    private CompletableFuture<FullHttpResponse> stream(
            ChannelHandlerContext ctx, FullHttpRequest req, StreamingEndpoint ep, StreamingEndpoint.Body body) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        String acceptEncoding = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING, "");
        boolean gzip = acceptEncoding.contains("gzip");
        try {
            ep.executor().execute(() -> streamBody(ctx, body, keepAlive, head, gzip));
        } catch (RejectedExecutionException e) {
            return done(
                    Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many requests of this kind at once"));
        }
        return STREAMED;
    }

    private static void streamBody(
            ChannelHandlerContext ctx, StreamingEndpoint.Body body, boolean keepAlive, boolean head, boolean gzip) {
        HttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        start.headers().set(HttpHeaderNames.CONTENT_TYPE, body.contentType());
        start.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(start, !head);
        if (gzip) {
            start.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        HttpUtil.setKeepAlive(start, keepAlive);
        if (head) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.OK,
                            Unpooled.EMPTY_BUFFER,
                            start.headers(),
                            EmptyHttpHeaders.INSTANCE))
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(start);
        ChunkedChannelOutputStream chunks = new ChunkedChannelOutputStream(ctx);
        try {
            if (gzip) {
                // the fastest level: 10,000 targets are 34 MiB of text; rendering it already takes most of
                // a core for about a second beside the event loop, so compression should add as little
                try (GZIPOutputStream z =
                        new GZIPOutputStream(new NonClosing(chunks), ChunkedChannelOutputStream.CHUNK) {
                            {
                                def.setLevel(Deflater.BEST_SPEED);
                            }
                        }) {
                    body.writer().writeTo(z);
                }
            } else {
                body.writer().writeTo(chunks);
            }
            chunks.finish()
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        } catch (IOException | RuntimeException e) {
            chunks.abandon();
            LOG.debug("streaming a response failed: {}", e.toString());
            ctx.close();
        }
    }

    /** Lets GZIPOutputStream finish its trailer without ending the HTTP body. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the HTTP body ends with finish()
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
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
