package io.pxcprobe.net;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;

/** Epoll where the native library loads, NIO otherwise; chosen once for the whole process. */
public enum Transport {
    EPOLL,
    NIO;

    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Why epoll is not in use, for the start-up log; null when it is. */
    public static String epollUnavailabilityCause() {
        Throwable t = Epoll.unavailabilityCause();
        return t == null ? null : t.toString();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public MultiThreadIoEventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Client sockets of one address family. The default is a dual-stack IPv6 socket, which costs an
     * IPV6_V6ONLY option call on every socket: a probe makes one socket per run.
     */
    public ChannelFactory<SocketChannel> socketChannelFactory(SocketProtocolFamily family) {
        return this == EPOLL
                ? () -> new EpollSocketChannel(family)
                : () -> new NioSocketChannel(SelectorProvider.provider(), family);
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
