package io.pxcprobe.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports nothing listens on, for servers the tests start and for connects that must be refused:
 * bound once, then closed (another process could bind one meanwhile, which the ephemeral range
 * makes unlikely).
 */
public final class FreePorts {

    private FreePorts() {}

    /** A TCP port free on loopback. */
    public static int tcp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A TCP port free on {@code address}. */
    public static int tcp(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    /** A port free on loopback for both UDP and TCP, as a DNS server needs. */
    public static int udpAndTcp() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket u = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = u.getLocalPort();
                try (ServerSocket t = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // TCP side busy, try another
                }
            }
        }
        throw new IOException("no free port");
    }
}
