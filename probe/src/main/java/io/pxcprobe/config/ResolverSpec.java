package io.pxcprobe.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** One DNS server queried directly; {@code label} is its {@code host:port}, used as the metric label. */
public record ResolverSpec(InetSocketAddress address, String label) {

    public static ResolverSpec parse(String text) {
        String s = text.trim();
        String host = s;
        int port = 53;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has an unclosed [");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "' is not [ipv6]:port");
                }
                port = parsePort(text, s.substring(close + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(text, s.substring(s.indexOf(':') + 1));
        }
        var addr = Addresses.parseLiteral(host)
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + text + "' is not an IP address (a resolver must be given by address)"));
        return of(addr, port);
    }

    /** The resolver at an address already parsed; the label is {@code ip:port}, {@code [ip6]:port}. */
    public static ResolverSpec of(InetAddress addr, int port) {
        String host = addr.getHostAddress();
        String label = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        return new ResolverSpec(new InetSocketAddress(addr, port), label);
    }

    private static int parsePort(String text, String p) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + text + "': port out of range 1-65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': '" + p + "' is not a port");
        }
    }
}
