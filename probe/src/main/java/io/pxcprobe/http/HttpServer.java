package io.pxcprobe.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.pxcprobe.net.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one HTTP port. Limits: request line 4 KiB, headers 8 KiB, body 1 KiB (nothing here
 * takes a body); connections and deadlines as {@link HttpLimits} says.
 */
public final class HttpServer implements AutoCloseable {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_BODY = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Channel channel;
    private final ConnectionCounts counts;

    private HttpServer(Channel channel, ConnectionCounts counts) {
        this.channel = channel;
        this.counts = counts;
    }

    public static HttpServer start(
            EventLoopGroup group,
            Transport transport,
            InetSocketAddress bind,
            Map<String, Endpoint> routes,
            HttpLimits limits)
            throws InterruptedException {
        RequestHandler handler = new RequestHandler(routes);
        ClientConnections connections = new ClientConnections(limits.maxConnections(), limits.maxPerClient());
        ConnectionCounts counts = new ConnectionCounts();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // read only while a request is awaited: one exchange at a time, in request order
                .childOption(ChannelOption.AUTO_READ, false)
                // a streamed /metrics waits for the client only past 1 MiB in flight, not at every chunk
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetAddress client = ch.remoteAddress().getAddress();
                        ClientConnections.Admission admission = connections.tryOpen(client);
                        if (!admission.admitted()) {
                            LOG.debug(
                                    "HTTP connection from {} refused: {} open, at most {} per client",
                                    client,
                                    connections.open(),
                                    limits.maxPerClient());
                            counts.refusedOne();
                            ch.close();
                            return;
                        }
                        if (admission.evicted() != null) {
                            LOG.debug(
                                    "HTTP connection {} closed while idle to admit one from {}",
                                    admission.evicted(),
                                    client);
                            counts.closedOne(ConnectionCounts.Closure.EVICTED);
                            admission.evicted().close();
                        }
                        ch.closeFuture().addListener(f -> connections.closed(ch, client));
                        ExchangeDeadlines exchanges = new ExchangeDeadlines(limits, counts, connections);
                        ch.pipeline()
                                .addLast(exchanges.firstBytes())
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192))
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_BODY, true))
                                .addLast(exchanges)
                                .addLast(handler);
                    }
                });
        Channel ch = b.bind(bind).sync().channel();
        LOG.info("HTTP on {}", ch.localAddress());
        return new HttpServer(ch, counts);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Connections this server refused or closed on its own since it started. */
    public ConnectionCounts counts() {
        return counts;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
