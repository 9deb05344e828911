package io.pxcprobe.mesh;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.pxcprobe.mesh.PeerReply.Failure;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP GET to another agent: a deadline from connect to the last byte, a bound on the answer's
 * size, and the channel closed whatever happens. Runs on the given event loops and never blocks them.
 */
public final class PeerClient {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;

    public PeerClient(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
        this.group = group;
        this.channelType = channelType;
    }

    /** @param pathAndQuery already encoded, starting with {@code /} */
    public CompletableFuture<HttpFetch> get(
            InetSocketAddress address, String pathAndQuery, Duration deadline, int maxBodyBytes) {
        long start = System.nanoTime();
        CompletableFuture<HttpFetch> done = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, deadline.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpClientCodec())
                                // the aggregator bounds what the decompressor gives, so a gzip bomb is TOO_LARGE
                                .addLast(new HttpContentDecompressor(false, 0))
                                .addLast(new HttpObjectAggregator(maxBodyBytes))
                                .addLast(new ResponseHandler(done, start));
                    }
                });
        ChannelFuture connect = b.connect(address);
        Channel ch = connect.channel();
        var timer = ch.eventLoop()
                .schedule(
                        () -> done.complete(new HttpFetch.Failed(
                                Failure.TIMEOUT,
                                "no whole answer within " + deadline.toMillis() + " ms",
                                System.nanoTime() - start)),
                        deadline.toNanos(),
                        TimeUnit.NANOSECONDS);
        done.whenComplete((r, e) -> {
            timer.cancel(false);
            ch.close();
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                done.complete(failed(f.cause(), start));
                return;
            }
            var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
            req.headers()
                    .set(HttpHeaderNames.HOST, address.getAddress().getHostAddress())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.ACCEPT, "application/json")
                    .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP);
            ch.writeAndFlush(req).addListener(w -> {
                if (!w.isSuccess()) {
                    done.complete(failed(w.cause(), start));
                }
            });
        });
        return done;
    }

    static HttpFetch.Failed failed(Throwable cause, long start) {
        long elapsed = System.nanoTime() - start;
        String msg = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectTimeoutException || msg.contains("timed out")) {
            return new HttpFetch.Failed(Failure.TIMEOUT, "no connection within the deadline", elapsed);
        }
        if (cause instanceof TooLongFrameException) {
            return new HttpFetch.Failed(Failure.TOO_LARGE, "the answer is larger than peers.maxBodyKiB", elapsed);
        }
        if (cause instanceof NoRouteToHostException || msg.contains("unreachable") || msg.contains("no route")) {
            return new HttpFetch.Failed(Failure.UNREACHABLE, "no route to the agent", elapsed);
        }
        if (cause instanceof ConnectException || msg.contains("refused")) {
            return new HttpFetch.Failed(Failure.REFUSED, "connection refused: no agent listens there", elapsed);
        }
        return new HttpFetch.Failed(
                Failure.ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage(), elapsed);
    }

    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<HttpFetch> done;
        private final long start;

        ResponseHandler(CompletableFuture<HttpFetch> done, long start) {
            this.done = done;
            this.start = start;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            done.complete(new HttpFetch.Response(
                    res.status().code(), ByteBufUtil.getBytes(res.content()), System.nanoTime() - start));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.complete(failed(cause, start));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(new HttpFetch.Failed(
                    Failure.ERROR, "the agent closed the connection before a whole answer", System.nanoTime() - start));
        }
    }
}
