package io.pxcprobe.canary;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.pxcprobe.config.CanaryConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The canaries: one listener per port a backup pod listens on. Each connection is counted by its
 * source and closed at once, before a byte is read or written: a canary holds nothing open and
 * gives a peer nothing to talk to.
 */
public final class CanaryListeners implements AutoCloseable {
    /** Connections the kernel may hold for accept: enough for every PXC pod's sidecar at once. */
    private static final int BACKLOG = 1024;

    private final List<Channel> servers;

    private CanaryListeners(List<Channel> servers) {
        this.servers = servers;
    }

    /** Listens on every configured port, or on none: a port that cannot be bound fails the start. */
    public static CanaryListeners open(
            EventLoopGroup group,
            Class<? extends ServerSocketChannel> channelType,
            CanaryConfig config,
            CanarySightings sightings) {
        List<Channel> open = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> port : config.ports().entrySet()) {
                ChannelHandler counter = new AcceptAndClose(sightings, port.getKey());
                Channel ch = new ServerBootstrap()
                        .group(group)
                        .channel(channelType)
                        .option(ChannelOption.SO_BACKLOG, BACKLOG)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.AUTO_READ, false)
                        .childHandler(counter)
                        .bind(new InetSocketAddress(config.bind(), port.getValue()))
                        .syncUninterruptibly()
                        .channel();
                open.add(ch);
            }
        } catch (RuntimeException e) {
            open.forEach(Channel::close);
            throw new IllegalStateException(
                    "cannot open the canary listeners " + config.ports() + " on " + config.bind() + ": "
                            + e.getMessage(),
                    e);
        }
        return new CanaryListeners(List.copyOf(open));
    }

    /** The bound port of each listener, in configuration order (port 0 in tests picks a free one). */
    public List<Integer> boundPorts() {
        return servers.stream()
                .map(c -> ((InetSocketAddress) c.localAddress()).getPort())
                .toList();
    }

    @Override
    public void close() {
        servers.forEach(c -> c.close().awaitUninterruptibly(1, TimeUnit.SECONDS));
    }

    @ChannelHandler.Sharable
    private static final class AcceptAndClose extends ChannelInboundHandlerAdapter {
        private final CanarySightings sightings;
        private final String port;

        AcceptAndClose(CanarySightings sightings, String port) {
            this.sightings = sightings;
            this.port = port;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (ctx.channel().remoteAddress() instanceof InetSocketAddress from) {
                sightings.connected(port, from.getAddress());
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
