package io.pxcprobe.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literals parsed without ever asking DNS (InetAddress.getByName would resolve a name). */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Addresses() {}

    public static Optional<InetAddress> parseLiteral(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        try {
            var m = IPV4.matcher(s);
            if (m.matches()) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(m.group(i + 1));
                    if (v > 255) {
                        return Optional.empty();
                    }
                    b[i] = (byte) v;
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
            if (s.contains(":") && s.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")) {
                // a colon means IPv6: getByName does no lookup for a literal
                return Optional.of(InetAddress.getByName(s));
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * {@code ip}, {@code ip:port}, {@code [ip6]} or {@code [ip6]:port}, never resolved.
     *
     * @param why what the message adds when a name is given instead of an address
     */
    public static InetSocketAddress socketAddress(String text, int defaultPort, String why) {
        String s = text.trim();
        String host = s;
        int port = defaultPort;
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
        InetAddress addr = parseLiteral(host)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address (" + why + ")"));
        return new InetSocketAddress(addr, port);
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
