package io.pxcprobe.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.pxcprobe.http.ConnectionCounts.Closure;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's request/response exchanges, one at a time and each with its own deadline.
 * The channel reads only while it waits for a request (auto-read is off); requests that came in the
 * same read (pipelining) wait here, a few at most, and each is answered after the one before it is
 * completely written, never into its body. Receiving a request and sending a response are timed;
 * computing the answer is not (a {@code /probe} takes as long as its check's own timeout, which may
 * exceed the idle limit).
 */
final class ExchangeDeadlines extends ChannelDuplexHandler {
    static final int MAX_PIPELINED = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeDeadlines.class);

    private enum Phase {
        WAITING,
        RECEIVING,
        ANSWERING,
        SENDING
    }

    private final HttpLimits limits;
    private final ConnectionCounts counts;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>(MAX_PIPELINED);
    private final ClientConnections connections;
    private Phase phase;
    private ScheduledFuture<?> timer;

    ExchangeDeadlines(HttpLimits limits, ConnectionCounts counts, ClientConnections connections) {
        this.limits = limits;
        this.counts = counts;
        this.connections = connections;
    }

    /** Goes before the HTTP decoder: the first byte of a request on a kept-alive connection starts its deadline. */
    ChannelInboundHandlerAdapter firstBytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (phase == Phase.WAITING && msg instanceof ByteBuf) {
                    phase = Phase.RECEIVING;
                    connections.busy(ctx.channel());
                    arm(ctx, limits.requestDeadline(), Closure.REQUEST_DEADLINE);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        phase = Phase.RECEIVING;
        arm(ctx, limits.requestDeadline(), Closure.REQUEST_DEADLINE);
        super.channelActive(ctx);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof HttpRequest)) {
            super.channelRead(ctx, msg);
        } else if (phase == Phase.WAITING || phase == Phase.RECEIVING) {
            answer(ctx, msg);
        } else if (pipelined.size() < MAX_PIPELINED) {
            pipelined.add(msg);
        } else {
            ReferenceCountUtil.release(msg);
            close(ctx, Closure.PIPELINE_DEPTH, "more than " + MAX_PIPELINED);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // the decoder may hold part of a request: keep reading until a whole one is in
        if (phase == Phase.RECEIVING) {
            ctx.read();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        ChannelPromise p = promise.unvoid();
        if (msg instanceof HttpResponse && phase == Phase.ANSWERING) {
            phase = Phase.SENDING;
            arm(ctx, limits.responseDeadline(), Closure.RESPONSE_DEADLINE);
        }
        if (msg instanceof LastHttpContent) {
            p.addListener(f -> {
                if (f.isSuccess() && ctx.channel().isActive() && phase == Phase.SENDING) {
                    next(ctx);
                }
            });
        }
        super.write(ctx, msg, p);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        discard();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void answer(ChannelHandlerContext ctx, Object request) {
        phase = Phase.ANSWERING;
        disarm();
        ctx.fireChannelRead(request);
    }

    private void next(ChannelHandlerContext ctx) {
        Object request = pipelined.poll();
        if (request != null) {
            answer(ctx, request);
            return;
        }
        phase = Phase.WAITING;
        connections.idle(ctx.channel());
        arm(ctx, limits.keepAliveIdle(), Closure.IDLE);
        ctx.read();
    }

    private void arm(ChannelHandlerContext ctx, Duration after, Closure why) {
        disarm();
        timer = ctx.executor()
                .schedule(
                        () -> close(ctx, why, "within " + after.toMillis() + " ms"),
                        after.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    private void close(ChannelHandlerContext ctx, Closure why, String detail) {
        LOG.debug("HTTP connection from {} closed: {} {}", ctx.channel().remoteAddress(), why.reason(), detail);
        counts.closedOne(why);
        ctx.close();
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void discard() {
        disarm();
        Object request;
        while ((request = pipelined.poll()) != null) {
            ReferenceCountUtil.release(request);
        }
    }
}
