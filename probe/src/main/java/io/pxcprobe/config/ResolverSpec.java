package io.pxcprobe.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** One DNS server queried directly; {@code label} is its {@code host:port}, used as the metric label. */
public record ResolverSpec(InetSocketAddress address, String label) {

    public static ResolverSpec parse(String text) {
        InetSocketAddress a = Addresses.socketAddress(text, 53, "a resolver must be given by address");
        return of(a.getAddress(), a.getPort());
    }

    /** The resolver at an address already parsed; the label is {@code ip:port}, {@code [ip6]:port}. */
    public static ResolverSpec of(InetAddress addr, int port) {
        String host = addr.getHostAddress();
        String label = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        return new ResolverSpec(new InetSocketAddress(addr, port), label);
    }
}
