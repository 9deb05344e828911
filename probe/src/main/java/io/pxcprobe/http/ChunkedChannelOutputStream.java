package io.pxcprobe.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Writes an HTTP body as 64 KiB chunks. When the channel stops being writable (a slow client) the
 * writer waits for its last chunk to go out, at most {@link #STALL_SECONDS}: memory stays bounded
 * and a client that stops reading cannot hold the writer forever.
 */
final class ChunkedChannelOutputStream extends OutputStream {
    static final int CHUNK = 64 * 1024;
    static final int STALL_SECONDS = 10;
    private final ChannelHandlerContext ctx;
    private ByteBuf buf;
    private boolean closed;

    ChunkedChannelOutputStream(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.buf = ctx.alloc().heapBuffer(CHUNK);
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.isWritable()) {
            flushChunk();
        }
        buf.writeByte(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.isWritable()) {
                flushChunk();
            }
            int n = Math.min(len, buf.writableBytes());
            buf.writeBytes(b, off, n);
            off += n;
            len -= n;
        }
    }

    private void flushChunk() throws IOException {
        if (!ctx.channel().isActive()) {
            throw new IOException("client went away");
        }
        ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(buf));
        buf = ctx.alloc().heapBuffer(CHUNK);
        if (!ctx.channel().isWritable()) {
            try {
                if (!f.await(STALL_SECONDS, TimeUnit.SECONDS) || !f.isSuccess()) {
                    throw new IOException("client stopped reading");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    /** Sends what is left and ends the body; returns the future of the last write. */
    ChannelFuture finish() throws IOException {
        closed = true;
        if (buf.isReadable()) {
            ctx.write(new DefaultHttpContent(buf));
        } else {
            buf.release();
        }
        buf = null;
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Drops the unsent rest after a failure. */
    void abandon() {
        if (!closed && buf != null) {
            buf.release();
            buf = null;
        }
        closed = true;
    }
}
